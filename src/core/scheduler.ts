/**
 * Runs checks as early and as concurrently as is safe, while keeping the rules:
 * - a failed `required` check skips every later check that needs what it guards
 *   (the same stage or a later one);
 * - within a stage, each check keeps its probe's schedule (`exec` and `http` one at a
 *   time each, `logs` after the requests, `stop` last);
 * - results come back in rubric order.
 */
import { t } from '../basics/i18n/catalogue.js';
import type { Schedule, Stage, StageContext } from '../probes/probe.js';
import { probeFor } from '../probes/registry.js';
import type { Check } from '../rubric/model.js';
import { skipped } from './check-results.js';
import type { CheckResult } from '../basics/results.js';

/** What a stage offers its checks: the context, or why the stage could not be reached. */
export interface Gate {
  ctx: StageContext;
  /** Said once, at the top of the report: how the stage was reached, when the student should know (a port found by listening). */
  note?: string;
  unavailable?: {
    reason: string;
    /** Shown once, with the first check it fails (e.g. the service's last log lines). */
    output?: string;
    kinds: readonly Stage[];
    /** Report the checks as failed (they could not pass) rather than skipped. */
    asFailure?: boolean;
  };
}

export type CheckRunner = (check: Check, ctx: StageContext) => Promise<CheckResult>;
export type FailureReporter = (check: Check, message: string, output?: string) => CheckResult;

/** Where and when a check runs, as its probe says. */
export interface Placement {
  stage: Stage;
  schedule: Schedule;
  /** Runs even when its stage could not be reached (it reports why). */
  reportsUnreachableStage: boolean;
}

export function placementOf(check: Check): Placement {
  const probe = probeFor(check);
  return { stage: probe.stage(check.spec), schedule: probe.schedule, reportsUnreachableStage: probe.reportsUnreachableStage === true };
}

const STAGE_RANK: Record<Stage, number> = { repo: 0, image: 1, service: 2 };
/** Order of the groups within a stage: a group waits for the groups before it. */
const SCHEDULE_GROUP: Record<Schedule, number> = { concurrent: 0, 'one-at-a-time': 0, 'after-requests': 1, last: 2 };

export class Scheduler {
  private readonly pending: (Promise<CheckResult> | undefined)[];
  private readonly settled: (CheckResult | undefined)[];
  private readonly failedOutputShown = new Set<string>();

  constructor(
    private readonly checks: readonly Check[],
    private readonly placements: readonly Placement[],
    private readonly fail: FailureReporter,
  ) {
    this.pending = checks.map(() => undefined);
    this.settled = checks.map(() => undefined);
  }

  /** Starts every check of `stage`; each waits for its gate, its blockers and the checks it must follow. */
  runStage(stage: Stage, gate: () => Promise<Gate>, run: CheckRunner): Promise<CheckResult>[] {
    const started: Promise<CheckResult>[] = [];
    this.checks.forEach((check, index) => {
      if (this.placements[index]!.stage !== stage) return;
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
    return this.checks.some((_, index) => stages.includes(this.placements[index]!.stage) && !this.settledBlocker(index));
  }

  /** Every result in rubric order; checks of stages that never started are skipped. */
  async results(): Promise<CheckResult[]> {
    return Promise.all(
      this.checks.map((check, index) => {
        const promise = this.pending[index];
        if (promise) return promise;
        const blocker = this.settledBlocker(index);
        return Promise.resolve(skipped(check, blocker ? skipReason(blocker) : t('core.skip.not_run')));
      }),
    );
  }

  private async execute(index: number, gate: () => Promise<Gate>, run: CheckRunner): Promise<CheckResult> {
    const check = this.checks[index]!;
    const blocker = await this.failedBlocker(index);
    if (blocker) return skipped(check, skipReason(blocker));
    await Promise.all(this.predecessors(index));
    const { ctx, unavailable } = await gate();
    const placement = this.placements[index]!;
    if (unavailable && !placement.reportsUnreachableStage && unavailable.kinds.includes(placement.stage)) {
      if (!unavailable.asFailure) return skipped(check, unavailable.reason);
      const showOutput = !this.failedOutputShown.has(unavailable.reason);
      this.failedOutputShown.add(unavailable.reason);
      return this.fail(check, unavailable.reason, showOutput ? unavailable.output : undefined);
    }
    return run(check, ctx);
  }

  private blockers(index: number): number[] {
    const rank = STAGE_RANK[this.placements[index]!.stage];
    const found: number[] = [];
    for (let i = 0; i < index; i++) {
      if (this.checks[i]!.required && STAGE_RANK[this.placements[i]!.stage] <= rank) found.push(i);
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

  /** Checks of the same stage this one must wait for (finished, whatever their result), as the schedules say. */
  private predecessors(index: number): Promise<unknown>[] {
    const check = this.checks[index]!;
    const { stage, schedule } = this.placements[index]!;
    const group = SCHEDULE_GROUP[schedule];
    const waits: Promise<unknown>[] = [];
    this.checks.forEach((other, i) => {
      const placement = this.placements[i]!;
      if (i === index || placement.stage !== stage) return;
      const sameKindEarlier = schedule !== 'concurrent' && other.spec.kind === check.spec.kind && i < index;
      // A required check never waits for later checks: they wait for it.
      const earlierGroup = SCHEDULE_GROUP[placement.schedule] < group && (i < index || !check.required);
      if (sameKindEarlier || earlierGroup) waits.push(this.pending[i] ?? Promise.resolve());
    });
    return waits;
  }
}

function skipReason(blocker: Check): string {
  return t('core.skip.required_failed', { name: blocker.name });
}
