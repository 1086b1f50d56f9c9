/**
 * Grading a class: every roster row (of this shard) graded at once up to `jobs` at a time on one
 * engine, each run isolated as for a single submission, results reused where nothing changed.
 * Finished students are written as they finish, so Ctrl-C keeps them; the class views are
 * written at the end from whatever finished.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { CLASS_SCHEMA, type ClassResult, type StudentRow } from '../basics/class-results.js';
import { errorMessage } from '../basics/errors.js';
import type { Logger } from '../basics/logger.js';
import { VERSION } from '../basics/version.js';
import type { ContainerEngine } from '../engine/engine.js';
import type { GradebookFormat } from '../report/gradebook-export.js';
import type { Rubric } from '../rubric/model.js';
import type { GitHubAccess } from '../workspace/resolve-commit.js';
import { prepareOutputFolder, readClassFile, writeClassFile, writeClassViews, writeStudentFiles } from './class-output.js';
import { gradeStudent } from './grade-student.js';
import { rubricDigest } from './rubric-digest.js';
import type { Roster } from './roster.js';
import { Semaphore } from './semaphore.js';
import { withSharedSignal } from './shared-signal.js';
import { inShard, type Shard } from './shard.js';

export interface ClassRequest {
  roster: Roster;
  rubric: Rubric;
  outDir: string;
  jobs: number;
  deadline?: Date;
  branch?: string;
  shard?: Shard;
  force: boolean;
  exports: readonly GradebookFormat[];
  github: GitHubAccess;
  engine: ContainerEngine;
  /** Each student's log lines come through `loggerFor`; class-level lines through `logger`. */
  logger: Logger;
  loggerFor?: (username: string) => Logger;
  signal?: AbortSignal;
  onProgress?: (event: ClassProgress) => void;
  now?: () => Date;
}

export type ClassProgress =
  | { type: 'plan'; total: number; jobs: number; runId: string }
  | { type: 'grading'; username: string }
  | { type: 'finished'; row: StudentRow; reused: boolean; durationMs: number };

export interface ClassOutcome {
  result: ClassResult;
  /** Files written in the output folder, relative to it. */
  files: string[];
  interrupted: boolean;
}

/** Checks that resolving commits (git ls-remote, GitHub's API) may run at once: they are cheap and mostly waiting. */
const RESOLVING_AT_ONCE = 8;

export function gradeClass(request: ClassRequest): Promise<ClassOutcome> {
  return withSharedSignal(request.signal, (signal) => gradeEveryone({ ...request, signal }));
}

async function gradeEveryone(request: ClassRequest): Promise<ClassOutcome> {
  const { roster, rubric, outDir, logger } = request;
  const now = request.now ?? (() => new Date());
  const digest = rubricDigest(rubric);
  await prepareOutputFolder(outDir);
  const previous = await readPrevious(outDir, logger);

  const entries = roster.entries
    .map((entry, index) => ({ entry, index }))
    .filter(({ entry }) => !request.shard || inShard(entry.username, request.shard));
  const result: ClassResult = {
    schema: CLASS_SCHEMA,
    rubric: {
      title: rubric.title,
      source: rubric.source,
      digest,
      ...(rubric.pass !== undefined ? { pass_threshold: rubric.pass } : {}),
      checks: rubric.checks.map((check) => ({ id: check.id, name: check.name, max_points: check.points })),
    },
    grader_version: VERSION,
    locale: rubric.locale,
    ...(request.deadline ? { deadline: request.deadline.toISOString() } : {}),
    generated_at: now().toISOString(),
    roster: { file: path.basename(roster.file), rows: roster.entries.length },
    ...(request.shard ? { shard: request.shard } : {}),
    students: [],
  };
  const classRunId = randomBytes(4).toString('hex');
  request.onProgress?.({ type: 'plan', total: entries.length, jobs: request.jobs, runId: classRunId });

  const finished = new Map<number, StudentRow>();
  const cleanups: Promise<void>[] = [];
  let saving = Promise.resolve();
  const save = () => {
    result.students = [...finished.values()].sort((a, b) => a.index - b.index);
    const snapshot = structuredClone(result);
    saving = saving.then(() => writeClassFile(outDir, snapshot)).catch((err: unknown) => logger.warn(errorMessage(err)));
    return saving;
  };

  const gradingSlots = new Semaphore(request.jobs);
  const resolvingSlots = new Semaphore(RESOLVING_AT_ONCE);
  await Promise.all(
    entries.map(async ({ entry, index }) => {
      const started = Date.now();
      const outcome = await gradeStudent({
        entry,
        index,
        rubric,
        rubricDigest: digest,
        baseDir: path.dirname(path.resolve(roster.file)),
        ...(request.deadline ? { deadline: request.deadline } : {}),
        ...(request.branch ? { branch: request.branch } : {}),
        github: request.github,
        engine: request.engine,
        logger: request.loggerFor?.(entry.username) ?? logger,
        ...(request.signal ? { signal: request.signal } : {}),
        previous: previous.get(entry.username),
        force: request.force,
        gradingSlots,
        resolvingSlots,
        runId: studentRunId(classRunId, index),
        onStart: () => request.onProgress?.({ type: 'grading', username: entry.username }),
      });
      cleanups.push(outcome.cleanedUp);
      // Stopped before this student finished: what the last run said of them still stands.
      const earlier = previous.get(entry.username);
      if (request.signal?.aborted && outcome.row.status === 'ungradable' && earlier) {
        finished.set(index, { ...earlier, index });
        return;
      }
      finished.set(index, outcome.row);
      await writeStudentFiles(outDir, outcome.row).catch((err: unknown) => logger.warn(errorMessage(err)));
      await save();
      request.onProgress?.({ type: 'finished', row: outcome.row, reused: outcome.reused, durationMs: Date.now() - started });
    }),
  );
  await Promise.all(cleanups);
  result.students = [...finished.values()].sort((a, b) => a.index - b.index);
  await saving;
  const files = await writeClassViews(outDir, result, request.exports);
  return { result, files, interrupted: Boolean(request.signal?.aborted) };
}

/** The last run's rows by username; a folder that has none (or an unreadable one, said aloud) reuses nothing. */
async function readPrevious(outDir: string, logger: Logger): Promise<Map<string, StudentRow>> {
  try {
    const earlier = await readClassFile(outDir, { required: false });
    return new Map((earlier?.students ?? []).map((row) => [row.username, row]));
  } catch (err) {
    logger.warn(`${errorMessage(err)}: nothing is reused`);
    return new Map();
  }
}

/** The class's id and the student's roster position: every run of one class shares a prefix. */
export function studentRunId(classRunId: string, index: number): string {
  return `${classRunId}${index.toString(16).padStart(4, '0')}`;
}
