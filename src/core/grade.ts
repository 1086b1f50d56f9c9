/**
 * grade(): the whole pipeline for one submission. Checks run in three stages —
 * repo (files, Dockerfile), image (after the build) and service (after the container
 * is ready) — concurrently where that is safe, and are reported in rubric order.
 */
import { randomBytes } from 'node:crypto';
import { withLocale } from '../basics/i18n/catalogue.js';
import { InfrastructureError, errorMessage } from '../basics/errors.js';
import { silentLogger, type Logger } from '../basics/logger.js';
import type { BuildSummary, CheckResult, GradeResult } from '../basics/results.js';
import type { ContainerEngine } from '../engine/engine.js';
import { runLabels } from '../engine/engine.js';
import type { StageContext } from '../probes/probe.js';
import type { Check, Rubric } from '../rubric/model.js';
import type { Revision } from '../workspace/submission.js';
import { fromOutcome } from './check-results.js';
import { connectEngine, sweepLeftovers } from './connect-engine.js';
import { imageGate, serviceGate } from './gates.js';
import { gradedResult, summariseBuild, ungradableResult, type ResultSubject } from './grade-result.js';
import { locateBuildInputs } from './prepare-build.js';
import { runBuild } from './run-build.js';
import { runCheck, type CheckSettings } from './run-check.js';
import { Scheduler, placementOf } from './scheduler.js';
import { underWatchdog, watchdogBudgetMs } from './watchdog.js';

export interface GradeRequest {
  rubric: Rubric;
  /** `revision`: which commit the files are, awaited only for the result. */
  submission: { dir: string; source: string; revision?: Promise<Revision>; ref?: string };
  engine: ContainerEngine;
  logger?: Logger;
  /** Overrides the rubric's `pass` (percent). */
  passThreshold?: number;
  runId?: string;
  signal?: AbortSignal;
  now?: Date;
  /** Overrides the watchdog's budget (the sum of the stage limits). */
  watchdogMs?: number;
  /** The engine being reached already (connectEngine), by a caller that had other work meanwhile. */
  connected?: Promise<void>;
}

/** A run's result, known before the run's clean-up has finished. */
export interface Graded {
  result: GradeResult;
  /** Settles once everything the run created is removed; never rejects (a failed clean-up is logged). */
  cleanedUp: Promise<void>;
}

/** Whether grading with the rubric asks the engine at all: it does for any check after the build. */
export function needsEngine(rubric: Rubric): boolean {
  return rubric.checks.some((check) => placementOf(check).stage !== 'repo');
}

export function newRunId(): string {
  return randomBytes(6).toString('hex');
}

/** Grades, and answers once the run's clean-up is done too. */
export async function grade(request: GradeRequest): Promise<GradeResult> {
  const { result, cleanedUp } = await gradeThenCleanUp(request);
  await cleanedUp;
  return result;
}

/** Grades, and answers as soon as the result is known, while the run's clean-up goes on. In the rubric's language. */
export function gradeThenCleanUp(request: GradeRequest): Promise<Graded> {
  return withLocale(request.rubric.locale, () => gradeInLocale(request));
}

async function gradeInLocale(request: GradeRequest): Promise<Graded> {
  const { rubric, submission, passThreshold } = request;
  const started = Date.now();
  const run = new GradingRun(request, request.runId ?? newRunId());
  const subject = async (): Promise<ResultSubject> => {
    const revision = (await submission.revision) ?? {};
    return { rubric, submission: { source: submission.source, ref: submission.ref, ...revision }, passThreshold, started };
  };
  let result: GradeResult;
  try {
    const budgetMs = request.watchdogMs ?? watchdogBudgetMs(rubric);
    const { checks, build, notes } = await underWatchdog(run.run(), budgetMs, () => run.stop());
    result = gradedResult(await subject(), checks, build, notes);
  } catch (err) {
    if (!(err instanceof InfrastructureError)) {
      await run.cleanUp();
      throw err;
    }
    result = ungradableResult(await subject(), err.message);
  }
  return { result, cleanedUp: run.cleanUp() };
}

/** One run's stages, from the repository to the running service, and what it leaves behind. */
class GradingRun {
  private readonly logger: Logger;
  private readonly labels: Record<string, string>;
  private readonly settings: CheckSettings;
  private readonly abort = new AbortController();
  private engineUsed = false;

  constructor(
    private readonly request: GradeRequest,
    private readonly runId: string,
  ) {
    this.logger = request.logger ?? silentLogger;
    this.labels = runLabels(runId);
    this.settings = { logger: this.logger, now: request.now ?? new Date(), due: request.rubric.due };
    request.signal?.addEventListener('abort', () => this.abort.abort(request.signal?.reason), { once: true });
  }

  async run(): Promise<{ checks: CheckResult[]; build?: BuildSummary; notes?: string[] }> {
    const { rubric, submission, engine } = this.request;
    for (const warning of rubric.warnings ?? []) this.logger.warn(warning);
    const dockerfilePath = normalisePath(rubric.build.dockerfile);
    const inputs = await locateBuildInputs(submission.dir, rubric.build.dockerfile, rubric.build.context, dockerfilePath);
    const base: StageContext = {
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

    const scheduler = new Scheduler(rubric.checks, rubric.checks.map(placementOf), this.failCheck);
    const run = (check: Check, ctx: StageContext) => runCheck(check, ctx, this.settings);
    // The engine is asked while the repository checks run; a failed required one may still make it unneeded.
    const connecting = scheduler.anyPending(['image', 'service'])
      ? (this.request.connected ?? connectEngine(engine, this.logger)).then(() => {
          this.engineUsed = true;
          if (inputs.ok) engine.prepareBuild?.(this.runId);
        })
      : undefined;
    connecting?.catch(() => {});
    await Promise.all(scheduler.runStage('repo', () => Promise.resolve({ ctx: base }), run));
    if (!scheduler.anyPending(['image', 'service'])) {
      await connecting?.catch(() => {});
      return { checks: await scheduler.results() };
    }
    await connecting;
    // The service's network does not depend on the image: made while the image builds.
    if (inputs.ok && scheduler.anyPending(['service'])) engine.prepareService?.({ labels: this.labels, limits: rubric.limits });
    const build = inputs.ok ? await runBuild(inputs, base, this.runId, this.logger) : inputs;
    const image = imageGate(base, build);
    scheduler.runStage('image', () => image, run);
    const service = scheduler.anyPending(['service']) ? serviceGate(image, this.logger) : undefined;
    if (service) scheduler.runStage('service', () => service, run);
    const checks = await scheduler.results();
    // Its failure, if any, is the checks' to report: the note is only read from a service that started.
    const note = await service?.then(
      (gate) => gate.note,
      () => undefined,
    );
    return { checks, build: summariseBuild(build, await image), ...(note ? { notes: [note] } : {}) };
  }

  /** Stops whatever still runs (the watchdog fired). */
  stop(): void {
    this.abort.abort();
  }

  async cleanUp(): Promise<void> {
    this.abort.abort();
    if (!this.engineUsed) return;
    const { engine } = this.request;
    await Promise.all([
      engine.cleanup(this.runId).catch((err: unknown) => {
        this.logger.warn(`clean-up of run ${this.runId} failed: ${errorMessage(err)}`);
      }),
      sweepLeftovers(engine, this.logger),
    ]);
  }

  private readonly failCheck = (check: Check, message: string, output?: string): CheckResult =>
    fromOutcome(check, { status: 'failed', message, ...(output ? { output } : {}) }, 0, this.settings.now, this.settings.due);
}

function normalisePath(p: string): string {
  return p.replace(/\\/g, '/').replace(/^\.\//, '');
}
