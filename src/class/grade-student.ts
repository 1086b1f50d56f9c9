/**
 * One roster row, start to end: which commit to grade, whether an earlier result for it can be
 * reused, and otherwise a grading run isolated like any single submission. Never throws: whatever
 * goes wrong with one student becomes that student's row (ungradable, with the reason).
 */
import { OPTIONAL_ROSTER_FIELDS, type ResultKey, type StudentRow } from '../basics/class-results.js';
import { errorMessage } from '../basics/errors.js';
import type { Logger } from '../basics/logger.js';
import { cleanText } from '../basics/sanitize.js';
import { VERSION } from '../basics/version.js';
import { gradeSubmission } from '../core/grade-submission.js';
import type { ContainerEngine } from '../engine/engine.js';
import type { Rubric } from '../rubric/model.js';
import { folderDigest } from '../workspace/folder-digest.js';
import { resolveCommit, type GitHubAccess, type Resolution } from '../workspace/resolve-commit.js';
import type { RosterEntry } from './roster.js';
import type { Semaphore } from './semaphore.js';

export interface StudentJob {
  entry: RosterEntry;
  index: number;
  rubric: Rubric;
  rubricDigest: string;
  /** The roster's folder: local paths in it are relative to it. */
  baseDir: string;
  deadline?: Date;
  branch?: string;
  github: GitHubAccess;
  engine: ContainerEngine;
  logger: Logger;
  signal?: AbortSignal;
  /** The same student's row from the last run, if any. */
  previous?: StudentRow;
  force: boolean;
  /** Bounds the gradings that run at once (resolving commits is bounded apart: it is cheap). */
  gradingSlots: Semaphore;
  resolvingSlots: Semaphore;
  /** Labels everything the student's run creates. */
  runId: string;
  onStart?: () => void;
}

export interface StudentOutcome {
  row: StudentRow;
  /** The earlier result was reused: nothing was graded. */
  reused: boolean;
  /** Settles once the run's containers, images and checkout are gone. */
  cleanedUp: Promise<void>;
}

const MAX_REASON_CHARS = 500;

export async function gradeStudent(job: StudentJob): Promise<StudentOutcome> {
  const base = rosterFields(job);
  const done = (row: StudentRow, reused = false): StudentOutcome => ({ row, reused, cleanedUp: Promise.resolve() });
  const repository = job.entry.repository;
  if (!repository) return done({ ...base, status: 'missing', reason: 'no repository' });

  let resolution: Resolution;
  try {
    resolution = await job.resolvingSlots.use(() =>
      resolveCommit({
        repository,
        baseDir: job.baseDir,
        github: job.github,
        ...(job.branch ? { branch: job.branch } : {}),
        ...(job.deadline ? { deadline: job.deadline } : {}),
        ...(job.signal ? { signal: job.signal } : {}),
      }),
    );
  } catch (err) {
    return done({ ...base, repository, status: 'ungradable', reason: reasonOf(err, 'could not find the commit to grade') });
  }
  if (resolution.status === 'missing') return done({ ...base, repository, status: 'missing', reason: cleanText(resolution.reason) });

  const dated: Partial<StudentRow> = {
    ...base,
    repository,
    ...(resolution.commit ? { commit: resolution.commit } : {}),
    ...(resolution.committedAt ? { committed_at: resolution.committedAt } : {}),
    ...(resolution.pushedAt ? { pushed_at: resolution.pushedAt } : {}),
    ...(resolution.deadlineBasis ? { deadline_basis: resolution.deadlineBasis } : {}),
    ...(resolution.lateMs !== undefined && resolution.lateMs > 0 ? { late_ms: resolution.lateMs } : {}),
  };
  // A plain folder has no commit: its content names what was graded.
  const version = resolution.commit ?? (resolution.kind === 'local' ? await folderDigest(resolution.target) : undefined);
  const key = version ? resultKey(job, repository, version) : undefined;
  const reusable = !job.force && key && job.previous ? reuse(job.previous, key) : undefined;
  if (reusable) return done({ ...reusable, ...dated, status: reusable.status, key } as StudentRow, true);

  return job.gradingSlots.use(async () => {
    if (job.signal?.aborted) return done({ ...dated, status: 'ungradable', reason: 'interrupted before grading' } as StudentRow);
    job.onStart?.();
    try {
      const { result, cleanedUp } = await gradeSubmission({
        target: resolution.target,
        displaySource: repository,
        open: {
          ...(resolution.ref ? { ref: resolution.ref } : {}),
          ...(resolution.authHeader ? { authHeader: resolution.authHeader } : {}),
        },
        rubric: job.rubric,
        engine: job.engine,
        logger: job.logger,
        runId: job.runId,
        ...(job.signal ? { signal: job.signal } : {}),
      });
      const commit = result.submission.commit ?? resolution.commit;
      const graded = commit ?? version;
      const row: StudentRow = {
        ...(dated as StudentRow),
        ...(commit ? { commit } : {}),
        ...(result.submission.committed_at && !dated.committed_at ? { committed_at: result.submission.committed_at } : {}),
        status: job.signal?.aborted ? 'ungradable' : result.status,
        ...(job.signal?.aborted ? { reason: 'interrupted while grading' } : result.reason ? { reason: cleanText(result.reason) } : {}),
        result,
        // Only a finished grading is worth keeping: an ungradable one is tried again next time.
        ...(graded && result.status === 'graded' && !job.signal?.aborted ? { key: resultKey(job, repository, graded) } : {}),
      };
      return { row, reused: false, cleanedUp };
    } catch (err) {
      const reason = job.signal?.aborted ? 'interrupted while grading' : reasonOf(err, 'could not be graded');
      return done({ ...(dated as StudentRow), status: 'ungradable', reason });
    }
  });
}

function rosterFields(job: StudentJob): StudentRow {
  const { entry } = job;
  const row: StudentRow = { index: job.index, username: entry.username, status: 'missing' };
  for (const field of OPTIONAL_ROSTER_FIELDS) if (entry[field]) row[field] = entry[field];
  return row;
}

function resultKey(job: StudentJob, repository: string, commit: string): ResultKey {
  return { repository, commit, rubric_digest: job.rubricDigest, grader_version: VERSION };
}

/** The earlier row, when it graded exactly this commit, with this rubric and this grader. */
function reuse(previous: StudentRow, key: ResultKey): StudentRow | undefined {
  const old = previous.key;
  if (!old || previous.status !== 'graded' || !previous.result) return undefined;
  const same =
    old.repository === key.repository &&
    old.commit === key.commit &&
    old.rubric_digest === key.rubric_digest &&
    old.grader_version === key.grader_version;
  return same ? previous : undefined;
}

function reasonOf(err: unknown, what: string): string {
  return cleanText(`${what}: ${errorMessage(err)}`).slice(0, MAX_REASON_CHARS);
}
