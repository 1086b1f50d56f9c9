/**
 * Calibrating a rubric: grade the instructor's reference solution (it must score full marks),
 * then make each mutation on a copy of it and grade every mutant, up to `jobs` at once on one
 * engine, each isolated as any grading is. The copies live in one temporary folder, removed at
 * the end whatever happens.
 */
import { withSharedSignal } from '../shared-signal.js';
import { cp, mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { UserError, errorMessage } from '../../basics/errors.js';
import type { Logger } from '../../basics/logger.js';
import type { GradeResult } from '../../basics/results.js';
import { newRunId } from '../../core/grade.js';
import { gradeSubmission } from '../../core/grade-submission.js';
import type { ContainerEngine } from '../../engine/engine.js';
import type { Rubric } from '../../rubric/model.js';
import { Semaphore } from '../semaphore.js';
import { gradedRow, summarise, type Calibration, type MutantRow } from './calibration.js';
import type { Mutation, MutationOutcome } from './mutation.js';

export interface CalibrateRequest {
  solutionDir: string;
  rubric: Rubric;
  mutations: readonly Mutation[];
  engine: ContainerEngine;
  jobs: number;
  /** The solution's grading logs here; each mutant's through `loggerFor` (default: `logger`). */
  logger: Logger;
  loggerFor?: (mutation: string) => Logger;
  signal?: AbortSignal;
  onProgress?: (event: CalibrationProgress) => void;
}

/** `runId`: the grading's run id, the label on everything it created (a mutation not applied created nothing). */
export type CalibrationProgress =
  { type: 'solution'; result: GradeResult; runId: string } | { type: 'mutant'; row: MutantRow; done: number; total: number; runId: string };

export type CalibrationOutcome =
  /** The solution could not be graded, or did not score full marks: nothing to calibrate against. */
  | { status: 'ungradable' | 'not-perfect'; solution: GradeResult }
  | { status: 'calibrated'; solution: GradeResult; calibration: Calibration; interrupted: boolean };

export function calibrate(request: CalibrateRequest): Promise<CalibrationOutcome> {
  return withSharedSignal(request.signal, (signal) => calibrateUntil({ ...request, signal }));
}

async function calibrateUntil(request: CalibrateRequest): Promise<CalibrationOutcome> {
  const started = Date.now();
  const solutionDir = path.resolve(request.solutionDir);
  const info = await stat(solutionDir).catch(() => undefined);
  if (!info?.isDirectory()) throw new UserError(`the reference solution must be a folder: ${request.solutionDir}`);

  const solutionRun = newRunId();
  const solution = await grade(request, request.solutionDir, request.solutionDir, request.logger, solutionRun);
  request.onProgress?.({ type: 'solution', result: solution, runId: solutionRun });
  if (solution.status === 'ungradable') return { status: 'ungradable', solution };
  if (solution.score !== solution.max_score) return { status: 'not-perfect', solution };

  const workDir = await mkdtemp(path.join(os.tmpdir(), 'grader-calibrate-'));
  try {
    const slots = new Semaphore(request.jobs);
    let done = 0;
    const rows = await Promise.all(
      request.mutations.map((mutation, index) =>
        slots.use(async () => {
          const runId = newRunId();
          const row = await runMutant(request, mutation, solution, solutionDir, path.join(workDir, `mutant-${index}`), runId);
          request.onProgress?.({ type: 'mutant', row, done: ++done, total: request.mutations.length, runId });
          return row;
        }),
      ),
    );
    const calibration = summarise(solution, rows, Date.now() - started);
    return { status: 'calibrated', solution, calibration, interrupted: Boolean(request.signal?.aborted) };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

async function runMutant(
  request: CalibrateRequest,
  mutation: Mutation,
  solution: GradeResult,
  solutionDir: string,
  dir: string,
  runId: string,
): Promise<MutantRow> {
  const started = Date.now();
  const row = (status: MutantRow['status'], reason: string): MutantRow => ({
    name: mutation.name,
    description: mutation.description,
    origin: mutation.origin,
    status,
    reason,
    caught_by: [],
  });
  if (request.signal?.aborted) return row('ungradable', 'interrupted before grading');
  try {
    await copySolution(solutionDir, dir);
    let outcome: MutationOutcome;
    try {
      outcome = await mutation.apply({
        dir,
        dockerfile: request.rubric.build.dockerfile,
        context: request.rubric.build.context,
        ...(request.rubric.service.port !== undefined ? { servicePort: request.rubric.service.port } : {}),
      });
    } catch (err) {
      return row('ungradable', `the mutation could not be made: ${errorMessage(err)}`);
    }
    if (!outcome.applied) return row('not-applicable', outcome.reason);
    const logger = request.loggerFor?.(mutation.name) ?? request.logger;
    const mutant = await grade(request, dir, `${request.solutionDir} [${mutation.name}]`, logger, runId);
    // A grading cut short says nothing about the rubric.
    if (request.signal?.aborted) return row('ungradable', 'interrupted while grading');
    return gradedRow(mutation, outcome.change, solution, mutant, Date.now() - started);
  } catch (err) {
    return row('ungradable', request.signal?.aborted ? 'interrupted while grading' : `could not be graded: ${errorMessage(err)}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** One grading, its leftovers removed before it counts as done (so copies can go and gradings do not pile up). */
async function grade(
  request: CalibrateRequest,
  target: string,
  displaySource: string,
  logger: Logger,
  runId: string,
): Promise<GradeResult> {
  const { result, cleanedUp } = await gradeSubmission({
    target,
    displaySource,
    rubric: request.rubric,
    engine: request.engine,
    logger,
    runId,
    ...(request.signal ? { signal: request.signal } : {}),
  });
  await cleanedUp;
  return result;
}

/** The solution as it is, links kept as links; its git history is not part of what is graded. */
function copySolution(from: string, to: string): Promise<void> {
  const gitDir = path.join(from, '.git');
  return cp(from, to, { recursive: true, verbatimSymlinks: true, filter: (source) => source !== gitDir });
}
