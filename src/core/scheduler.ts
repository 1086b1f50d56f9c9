/**
 * Runs checks as early and as concurrently as is safe, while keeping the rules:
 * - a failed `required` check skips every later check that needs what it guards
 *   (the same stage or a later one);
 * - in the service stage, `exec` checks run one at a time, `logs` checks read the log
 *   after the requests are done, and `stop` checks run last;
 * - results come back in rubric order.
 */
import type { ProbeContext, Stage } from '../probes/probe.js';
import type { Check, CheckKind } from '../rubric/model.js';
import { skipped } from './check-results.js';
import type { CheckResult } from '../basics/results.js';

/** What a stage offers its checks: the context, or why the stage could not be reached. */
export interface Gate {
  ctx: ProbeContext;
  unavailable?: {
    reason: string;
    /** Shown once, with the first check it fails (e.g. the service's last log lines). */
    output?: string;
    kinds: readonly Stage[];
    /** Report the checks as failed (they could not pass) rather than skipped. */
    asFailure?: boolean;
  };
}

export type CheckRunner = (check: Check, ctx: ProbeContext) => Promise<CheckResult>;
export type FailureReporter = (check: Check, message: string, output?: string) => CheckResult;

const STAGE_RANK: Record<Stage, number> = { repo: 0, image: 1, service: 2 };
/** Order of the service stage's groups: a group waits for the groups before it. */
const SERVICE_GROUP: Partial<Record<CheckKind, number>> = { logs: 1, stop: 2 };

export class Scheduler {
  private readonly pending: (Promise<CheckResult> | undefined)[];
  private readonly settled: (CheckResult | undefined)[];
  private readonly failedOutputShown = new Set<string>();

  constructor(
    private readonly checks: readonly Check[],
    private readonly stages: readonly Stage[],
    private readonly fail: FailureReporter,
  ) {
    this.pending = checks.map(() => undefined);
    this.settled = checks.map(() => undefined);
  }

  /** Starts every check of `stage`; each waits for its gate, its blockers and the checks it must follow. */
  runStage(stage: Stage, gate: () => Promise<Gate>, run: CheckRunner): Promise<CheckResult>[] {
    const started: Promise<CheckResult>[] = [];
    this.checks.forEach((check, index) => {
      if (this.stages[index] !== stage) return;
      const promise = this.execute(index, gate, run).then((result) => {
        this.settled[index] = result;
        return result;
      });
      this.pending[index] = promise;
      started.push(promise);
    });
    return started;
  }

  /** Whether some check of these stages may still run, given what has been decided so far. */
  anyPending(stages: readonly Stage[]): boolean {
    return this.checks.some((_, index) => stages.includes(this.stages[index]!) && !this.settledBlocker(index));
  }

  /** Every result in rubric order; checks of stages that never started are skipped. */
  async results(): Promise<CheckResult[]> {
    return Promise.all(
      this.checks.map((check, index) => {
        const promise = this.pending[index];
        if (promise) return promise;
        const blocker = this.settledBlocker(index);
        return Promise.resolve(skipped(check, blocker ? skipReason(blocker) : 'not run'));
      }),
    );
  }

  private async execute(index: number, gate: () => Promise<Gate>, run: CheckRunner): Promise<CheckResult> {
    const check = this.checks[index]!;
    const blocker = await this.failedBlocker(index);
    if (blocker) return skipped(check, skipReason(blocker));
    await Promise.all(this.predecessors(index));
    const { ctx, unavailable } = await gate();
    if (unavailable && check.spec.kind !== 'build' && unavailable.kinds.includes(this.stages[index]!)) {
      if (!unavailable.asFailure) return skipped(check, unavailable.reason);
      const showOutput = !this.failedOutputShown.has(unavailable.reason);
      this.failedOutputShown.add(unavailable.reason);
      return this.fail(check, unavailable.reason, showOutput ? unavailable.output : undefined);
    }
    return run(check, ctx);
  }

  private blockers(index: number): number[] {
    const rank = STAGE_RANK[this.stages[index]!];
    const found: number[] = [];
    for (let i = 0; i < index; i++) {
      if (this.checks[i]!.required && STAGE_RANK[this.stages[i]!] <= rank) found.push(i);
    }
    return found;
  }

  private async failedBlocker(index: number): Promise<Check | undefined> {
    for (const i of this.blockers(index)) {
      const result = await this.pending[i];
      if (result && result.status !== 'passed') return this.checks[i];
    }
    return undefined;
  }

  private settledBlocker(index: number): Check | undefined {
    return this.blockers(index)
      .filter((i) => this.settled[i] && this.settled[i]!.status !== 'passed')
      .map((i) => this.checks[i]!)[0];
  }

  /** Checks of the service stage this one must wait for (finished, whatever their result). */
  private predecessors(index: number): Promise<unknown>[] {
    if (this.stages[index] !== 'service') return [];
    const check = this.checks[index]!;
    const group = SERVICE_GROUP[check.spec.kind] ?? 0;
    const waits: Promise<unknown>[] = [];
    this.checks.forEach((other, i) => {
      if (i === index || this.stages[i] !== 'service') return;
      const otherGroup = SERVICE_GROUP[other.spec.kind] ?? 0;
      const sameKindEarlier = other.spec.kind === check.spec.kind && i < index && (check.spec.kind === 'exec' || group > 0);
      // A required check never waits for later checks: they wait for it.
      const earlierGroup = otherGroup < group && (i < index || !check.required);
      if (sameKindEarlier || earlierGroup) waits.push(this.pending[i] ?? Promise.resolve());
    });
    return waits;
  }
}

function skipReason(blocker: Check): string {
  return `skipped: the required check "${blocker.name}" did not pass`;
}
