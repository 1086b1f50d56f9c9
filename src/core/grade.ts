/**
 * grade(): the whole pipeline for one submission. Checks run in three stages —
 * repo (files, Dockerfile), image (after the build) and service (after the container
 * is ready) — concurrently where that is safe, and are reported in rubric order.
 */
import { randomBytes } from 'node:crypto';
import type { BuildOutcome, ContainerEngine } from '../engine/engine.js';
import { runLabels } from '../engine/engine.js';
import type { Probe, ProbeContext, Stage } from '../probes/probe.js';
import { probes } from '../probes/registry.js';
import type { Check, Rubric } from '../rubric/model.js';
import { EngineUnavailableError, InfrastructureError, errorMessage } from '../basics/errors.js';
import { silentLogger, type Logger } from '../basics/logger.js';
import { dockerfileOverLimits } from './dockerfile-limits.js';
import { refusedImageReference } from './image-references.js';
import { locateBuildInputs, type BuildInputs } from './prepare-build.js';
import type { BuildSummary, CheckResult, GradeResult } from '../basics/results.js';
import { meetsThreshold, totalScore } from './score.js';
import { formatDuration } from '../basics/units.js';
import { errored, fromOutcome } from './check-results.js';
import { startService, type ServiceStart } from './service-start.js';
import { Scheduler, type Gate } from './scheduler.js';

export interface GradeRequest {
  rubric: Rubric;
  submission: { dir: string; source: string; commit?: string; ref?: string };
  engine: ContainerEngine;
  logger?: Logger;
  /** Overrides the rubric's `pass` (percent). */
  passThreshold?: number;
  runId?: string;
  signal?: AbortSignal;
  now?: Date;
  /** Overrides the watchdog's budget (the sum of the stage limits). */
  watchdogMs?: number;
}

/** Leftovers older than this come from a crashed earlier run and are swept at start. */
const STALE_AFTER_MS = 6 * 60 * 60 * 1000;
const MAX_IMAGE_BYTES = 2 * 1024 ** 3;
/** Extra time a probe gets past its own limit before it is presumed hung. */
const PROBE_GRACE_MS = 15_000;

/** Slack on top of the stage limits for the engine's own work (create, start, remove). */
const WATCHDOG_SLACK_MS = 60_000;

/** The sum of every stage's limit: build, readiness, and each check's own time limit plus its grace. */
export function watchdogBudgetMs(rubric: Rubric): number {
  const checks = rubric.checks.reduce((sum, check) => sum + (check.timeoutMs ?? probes[check.spec.kind].defaultTimeoutMs) + PROBE_GRACE_MS, 0);
  return rubric.build.timeoutMs + rubric.service.ready.timeoutMs + checks + WATCHDOG_SLACK_MS;
}

export function newRunId(): string {
  return randomBytes(6).toString('hex');
}

export async function grade(request: GradeRequest): Promise<GradeResult> {
  const started = Date.now();
  const runId = request.runId ?? newRunId();
  const grading = new Grading(request, runId);
  try {
    const { checks, build } = await grading.runWithin(request.watchdogMs ?? watchdogBudgetMs(request.rubric));
    return finish(request, started, checks, build);
  } catch (err) {
    if (err instanceof InfrastructureError) return ungradable(request, started, err.message);
    throw err;
  } finally {
    await grading.dispose();
  }
}

class Grading {
  private readonly logger: Logger;
  private readonly labels: Record<string, string>;
  private readonly now: Date;
  private readonly abort = new AbortController();
  private engineUsed = false;

  constructor(private readonly request: GradeRequest, private readonly runId: string) {
    this.logger = request.logger ?? silentLogger;
    this.labels = runLabels(runId);
    this.now = request.now ?? new Date();
    request.signal?.addEventListener('abort', () => this.abort.abort(request.signal?.reason), { once: true });
  }

  /**
   * The watchdog: past the sum of every stage's own limits, something below us (the
   * engine) is presumed hung; the run is ungradable rather than waiting forever.
   */
  async runWithin(budgetMs: number): Promise<{ checks: CheckResult[]; build?: BuildSummary }> {
    let timer: NodeJS.Timeout | undefined;
    const watchdog = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.abort.abort();
        reject(new InfrastructureError(`grading took longer than its ${formatDuration(budgetMs)} budget; the Docker Engine is presumed hung`));
      }, budgetMs);
    });
    try {
      return await Promise.race([this.run(), watchdog]);
    } finally {
      clearTimeout(timer);
    }
  }

  async run(): Promise<{ checks: CheckResult[]; build?: BuildSummary }> {
    const { rubric, submission, engine } = this.request;
    for (const warning of rubric.warnings ?? []) this.logger.warn(warning);
    const dockerfilePath = normalisePath(rubric.build.dockerfile);
    const inputs = await locateBuildInputs(submission.dir, rubric.build.dockerfile, rubric.build.context, dockerfilePath);
    const base: ProbeContext = {
      rubric,
      repoDir: submission.dir,
      dockerfile: inputs.ok ? inputs.dockerfile : undefined,
      ...(!inputs.ok && inputs.reason === 'refused' ? { dockerfileRefused: inputs.message } : {}),
      dockerfilePath,
      engine,
      limits: rubric.limits,
      labels: this.labels,
      signal: this.abort.signal,
    };

    const stages = rubric.checks.map((check) => probeFor(check).stage(check.spec));
    const scheduler = new Scheduler(rubric.checks, stages, this.failCheck);
    const repoResults = scheduler.runStage('repo', () => Promise.resolve({ ctx: base }), this.runCheck);
    await Promise.all(repoResults);

    if (!scheduler.anyPending(['image', 'service'])) return { checks: await scheduler.results() };

    await this.connectEngine();
    const buildOutcome: BuildOutcome = inputs.ok ? await this.build(inputs) : inputs;
    const imageGate = this.imageGate(base, buildOutcome);
    scheduler.runStage('image', () => imageGate, this.runCheck);
    if (scheduler.anyPending(['service'])) {
      const serviceGate = this.serviceGate(imageGate);
      scheduler.runStage('service', () => serviceGate, this.runCheck);
    }
    const checks = await scheduler.results();
    return { checks, build: await summariseBuild(buildOutcome, imageGate) };
  }

  private async connectEngine(): Promise<void> {
    const info = await this.request.engine.ping();
    this.engineUsed = true;
    this.logger.debug(`engine ${info.version} (API ${info.apiVersion}), BuildKit ${info.buildkit ? 'on' : 'off'}`);
    const swept = await this.request.engine.sweepStale(STALE_AFTER_MS).catch(() => 0);
    if (swept > 0) this.logger.info(`removed ${swept} leftovers of earlier runs`);
  }

  private async build(inputs: BuildInputs): Promise<BuildOutcome> {
    const { rubric, engine } = this.request;
    const refused = (message: string, line?: number): BuildOutcome => ({
      ok: false,
      reason: 'refused',
      message,
      ...(line !== undefined ? { line } : {}),
      logTail: '',
      durationMs: 0,
    });
    const overLimits = dockerfileOverLimits(inputs.dockerfile);
    if (overLimits !== undefined) return refused(overLimits);
    const foreign = await refusedImageReference(engine, inputs.dockerfile, rubric.build.args);
    if (foreign) return refused(foreign.message, foreign.line);
    return this.logger.group('Building the image', () =>
      engine.build({
        contextDir: inputs.contextDir,
        dockerfile: inputs.dockerfileInContext,
        dockerfileText: inputs.dockerfile.text,
        runId: this.runId,
        buildArgs: rubric.build.args,
        tag: `grader/${this.runId}:latest`,
        labels: this.labels,
        timeoutMs: rubric.build.timeoutMs,
        onLog: (line) => this.logger.debug(line),
        signal: this.abort.signal,
      }),
    );
  }

  private async imageGate(base: ProbeContext, build: BuildOutcome): Promise<Gate> {
    if (!build.ok) {
      const ctx = { ...base, build };
      return { ctx, unavailable: { reason: `the image did not build: ${build.message}`, kinds: IMAGE_NEEDING } };
    }
    const info = await this.request.engine.inspectImage(build.imageId);
    if (info.sizeBytes > MAX_IMAGE_BYTES) {
      const tooLarge: BuildOutcome = {
        ok: false,
        reason: 'image-too-large',
        message: `the image is ${(info.sizeBytes / 1024 ** 3).toFixed(2)} GiB, over the 2 GiB limit`,
        logTail: build.logTail,
        durationMs: build.durationMs,
      };
      return { ctx: { ...base, build: tooLarge }, unavailable: { reason: `the image did not build: ${tooLarge.message}`, kinds: IMAGE_NEEDING } };
    }
    return { ctx: { ...base, build, image: { ref: build.imageId, info } } };
  }

  private async serviceGate(imageGate: Promise<Gate>): Promise<Gate> {
    const gate = await imageGate;
    if (gate.unavailable || !gate.ctx.image) return gate;
    if (this.abort.signal.aborted) return { ctx: gate.ctx, unavailable: { reason: 'grading was interrupted', kinds: SERVICE_NEEDING } };
    const { rubric } = this.request;
    const start: ServiceStart = await this.logger.group('Starting the service', () =>
      startService(this.request.engine, gate.ctx.image!.info, rubric, this.labels, this.abort.signal),
    );
    if (!start.ready) return { ctx: gate.ctx, unavailable: { reason: start.message, output: start.logTail, kinds: SERVICE_NEEDING, asFailure: true } };
    return { ctx: { ...gate.ctx, service: { handle: start.service, defaultPort: start.port } } };
  }

  private readonly failCheck = (check: Check, message: string, output?: string): CheckResult =>
    fromOutcome(check, { status: 'failed', message, ...(output ? { output } : {}) }, 0, this.now, this.request.rubric.due);

  private readonly runCheck = async (check: Check, ctx: ProbeContext): Promise<CheckResult> => {
    const probe = probeFor(check);
    const started = Date.now();
    const limit = (check.timeoutMs ?? probe.defaultTimeoutMs) + PROBE_GRACE_MS;
    try {
      const outcome = await withDeadline(probe.run(check, ctx), limit);
      return fromOutcome(check, outcome, Date.now() - started, this.now, this.request.rubric.due);
    } catch (err) {
      if (err instanceof EngineUnavailableError) throw err;
      this.logger.warn(`check "${check.name}" could not run: ${errorMessage(err)}`);
      return errored(check, `the grader could not run this check: ${errorMessage(err)}`, Date.now() - started);
    }
  };

  async dispose(): Promise<void> {
    this.abort.abort();
    if (!this.engineUsed) return;
    await this.request.engine.cleanup(this.runId).catch((err: unknown) => {
      this.logger.warn(`clean-up of run ${this.runId} failed: ${errorMessage(err)}`);
    });
  }
}

const IMAGE_NEEDING: readonly Stage[] = ['image', 'service'];
const SERVICE_NEEDING: readonly Stage[] = ['service'];

/** Method bivariance lets each kind's probe stand for the general one; the registry's type proves the kind matches. */
function probeFor(check: Check): Probe {
  return probes[check.spec.kind];
}

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

async function summariseBuild(build: BuildOutcome, imageGate: Promise<Gate>): Promise<BuildSummary> {
  const gate = await imageGate;
  const effective = gate.ctx.build ?? build;
  if (effective.ok) {
    return { ok: true, duration_ms: Math.round(effective.durationMs), image_size: gate.ctx.image?.info.sizeBytes };
  }
  return {
    ok: false,
    duration_ms: Math.round(effective.durationMs),
    failing_step: effective.failingStep,
    log_tail: effective.logTail || undefined,
  };
}

function finish(request: GradeRequest, started: number, checks: CheckResult[], build?: BuildSummary): GradeResult {
  const { score, max_score, percent } = totalScore(checks);
  const threshold = request.passThreshold ?? request.rubric.pass;
  return {
    ...header(request),
    status: 'graded',
    score,
    max_score,
    percent,
    ...(threshold !== undefined ? { pass_threshold: threshold } : {}),
    passed: meetsThreshold(percent, threshold),
    duration_ms: Date.now() - started,
    ...(build ? { build } : {}),
    checks,
  };
}

function ungradable(request: GradeRequest, started: number, reason: string): GradeResult {
  const checks = request.rubric.checks.map((check) => errored(check, `not graded: ${reason}`, 0));
  const threshold = request.passThreshold ?? request.rubric.pass;
  return {
    ...header(request),
    status: 'ungradable',
    reason,
    score: null,
    max_score: totalScore(checks).max_score,
    percent: null,
    ...(threshold !== undefined ? { pass_threshold: threshold } : {}),
    passed: false,
    duration_ms: Date.now() - started,
    checks,
  };
}

function header(request: GradeRequest): Pick<GradeResult, 'rubric' | 'submission'> {
  const { submission, rubric } = request;
  return {
    rubric: { title: rubric.title, source: rubric.source },
    submission: {
      source: submission.source,
      ...(submission.commit ? { commit: submission.commit } : {}),
      ...(submission.ref ? { ref: submission.ref } : {}),
    },
  };
}

function normalisePath(p: string): string {
  return p.replace(/\\/g, '/').replace(/^\.\//, '');
}
