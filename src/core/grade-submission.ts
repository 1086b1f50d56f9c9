/**
 * The one entry both adapters (CLI and action) call: open the submission, grade it
 * against an already loaded rubric, and always give the checkout back. The result comes
 * as soon as it is known; `cleanedUp` says when the run's leftovers and the checkout are gone.
 */
import type { ContainerEngine } from '../engine/engine.js';
import type { Rubric } from '../rubric/model.js';
import { openSubmission, type OpenOptions } from '../workspace/submission.js';
import { errorMessage } from '../basics/errors.js';
import { withLocale } from '../basics/i18n/catalogue.js';
import { startConnecting } from './connect-engine.js';
import { gradeThenCleanUp, needsEngine, type Graded } from './grade.js';
import type { Logger } from '../basics/logger.js';
import type { GradeResult } from '../basics/results.js';

export interface GradeSubmissionRequest {
  /** A folder, or a git URL / path to clone. */
  target: string;
  /** How reports name the submission, when not as `target` (e.g. `owner/repo` rather than a runner path). */
  displaySource?: string;
  open?: OpenOptions;
  rubric: Rubric;
  engine: ContainerEngine;
  logger: Logger;
  passThreshold?: number;
  runId?: string;
  signal?: AbortSignal;
  /** The engine being reached already (connectEngine), by a caller that had other work meanwhile. */
  connected?: Promise<void>;
}

export function gradeSubmission(request: GradeSubmissionRequest): Promise<Graded> {
  return withLocale(request.rubric.locale, () => openAndGrade(request));
}

async function openAndGrade(request: GradeSubmissionRequest): Promise<Graded> {
  const { logger } = request;
  const connected = needsEngine(request.rubric) ? (request.connected ?? startConnecting(request.engine, logger)) : undefined;
  const submission = await openSubmission(request.target, { ...request.open, signal: request.signal });
  const giveBack = () =>
    submission.dispose().catch((err: unknown) => logger.warn(`could not remove the checkout ${submission.dir}: ${errorMessage(err)}`));
  let graded: Graded;
  try {
    logger.info(`grading ${submission.source}${submission.ref ? ` at ${submission.ref}` : ''} with "${request.rubric.title}"`);
    graded = await gradeThenCleanUp({
      rubric: request.rubric,
      submission: request.displaySource ? { ...submission, source: request.displaySource } : submission,
      engine: request.engine,
      logger: request.logger,
      ...(request.passThreshold !== undefined ? { passThreshold: request.passThreshold } : {}),
      ...(request.runId ? { runId: request.runId } : {}),
      ...(request.signal ? { signal: request.signal } : {}),
      ...(connected ? { connected } : {}),
    });
  } catch (err) {
    await giveBack();
    throw err;
  }
  return { result: graded.result, cleanedUp: Promise.all([graded.cleanedUp, giveBack()]).then(() => undefined) };
}

/** Exit codes of the CLI contract. */
export const EXIT = { passed: 0, belowPass: 1, usage: 2, ungradable: 3 } as const;

export function exitCodeFor(result: GradeResult): number {
  if (result.status === 'ungradable') return EXIT.ungradable;
  return result.passed ? EXIT.passed : EXIT.belowPass;
}
