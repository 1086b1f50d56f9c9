/**
 * Getting the submission onto disk: a local folder as it is, or a git repository
 * (URL or local path) cloned at a ref into a temporary folder that `dispose()` removes.
 */
import { mkdtemp, realpath, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { UserError, errorMessage } from '../basics/errors.js';
import { cleanText } from '../basics/sanitize.js';
import { CLONE_LIMITS, cloneCommit, type CloneLimits } from './clone.js';
import { GitRunner } from './git.js';

export interface Submission {
  /** Absolute path of the submission's root folder. */
  dir: string;
  /** What the user named: a folder or a repository URL. */
  source: string;
  /** Which commit the files are: known once cloned; for a folder, asked of git while the grading goes on. Never rejects. */
  revision: Promise<Revision>;
  ref?: string;
  dispose(): Promise<void>;
}

export interface Revision {
  /**
   * The commit graded: always for a clone; for a local folder only when the folder is the
   * top folder of a git repository (a folder inside a repository is not that repository's commit).
   */
  commit?: string;
  /** The commit's committer date (ISO 8601), when there is a commit. */
  committedAt?: string;
}

export interface OpenOptions {
  ref?: string;
  /** Extra HTTP header for cloning private repositories (e.g. `Authorization: basic …`); never logged. */
  authHeader?: string;
  /** Stops a clone under way; the clone's folder and git processes are removed. */
  signal?: AbortSignal;
  /** Lower limits than `CLONE_LIMITS` (tests). */
  limits?: Partial<CloneLimits>;
}

/** Reading a folder's commit is quick; a git that hangs on it is given up. */
const FOLDER_GIT_TIMEOUT_MS = 10_000;
/** A clone's failure may quote the server; the message is cleaned and kept short. */
const MAX_MESSAGE_CHARS = 500;

const GIT_URL = /^(?:[a-z][a-z0-9+.-]*:\/\/|git@[^:]+:)/i;

export function looksLikeGitUrl(target: string): boolean {
  return GIT_URL.test(target);
}

export async function openSubmission(target: string, options: OpenOptions = {}): Promise<Submission> {
  if (options.ref) checkRef(options.ref);
  if (looksLikeGitUrl(target) || options.ref) return cloneSubmission(target, options);
  return openFolder(target, options.signal);
}

/** A ref reaches git as an argument: one that starts with `-` would be read as an option. */
function checkRef(ref: string): void {
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  if (ref.startsWith('-') || /[\s\x00-\x1f\x7f]/.test(ref)) {
    throw new UserError(
      `not a branch, tag or commit: ${cleanText(JSON.stringify(ref))} (a ref cannot start with "-" or contain spaces or control characters)`,
    );
  }
}

async function openFolder(target: string, signal: AbortSignal | undefined): Promise<Submission> {
  const dir = path.resolve(target);
  const info = await stat(dir).catch(() => undefined);
  if (!info) throw new UserError(`submission folder not found: ${dir}`);
  if (!info.isDirectory()) throw new UserError(`submission is not a folder: ${dir}`);
  return { dir, source: target, revision: folderCommit(dir, signal), dispose: async () => {} };
}

/** HEAD of the repository whose top folder is `dir`, and its date; nothing when `dir` is not one (or git cannot tell). */
async function folderCommit(dir: string, signal: AbortSignal | undefined): Promise<Revision> {
  let git: GitRunner | undefined;
  try {
    const top = await realpath(dir);
    git = await GitRunner.create();
    // One command: git may not look above `dir` (a folder inside a repository is not that repository's commit), nor
    // take `dir` itself for a bare repository.
    const head = await git.run(['show', '-s', '--format=%H%n%cI', 'HEAD^{commit}', '--'], {
      ...gitCall(top, signal),
      ceiling: path.dirname(top),
      config: ['safe.bareRepository=explicit'],
    });
    const [commit = '', date = ''] = head.trim().split('\n');
    if (!/^[0-9a-f]{40,64}$/.test(commit)) return {};
    const committedAt = isoDate(date);
    return { commit, ...(committedAt ? { committedAt } : {}) };
  } catch {
    return {};
  } finally {
    await git?.close();
  }
}

/** When `commit` was committed, by its own (forgeable) committer date; undefined when git cannot tell. */
async function committerDate(git: GitRunner, dir: string, commit: string, signal: AbortSignal | undefined): Promise<string | undefined> {
  try {
    return isoDate(await git.run(['show', '-s', '--format=%cI', commit, '--'], gitCall(dir, signal)));
  } catch {
    return undefined;
  }
}

function isoDate(text: string): string | undefined {
  const date = text.trim();
  return Number.isNaN(Date.parse(date)) ? undefined : new Date(date).toISOString();
}

/** Reading a commit is quick; a git that hangs on it is given up. */
function gitCall(cwd: string, signal: AbortSignal | undefined): { cwd: string; signal: AbortSignal } {
  const timeout = AbortSignal.timeout(FOLDER_GIT_TIMEOUT_MS);
  return { cwd, signal: signal ? AbortSignal.any([signal, timeout]) : timeout };
}

async function cloneSubmission(target: string, options: OpenOptions): Promise<Submission> {
  const url = looksLikeGitUrl(target) ? target : path.resolve(target);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'grader-submission-'));
  const dispose = () => rm(dir, { recursive: true, force: true });
  const git = await GitRunner.create().catch(async (err: unknown) => {
    await dispose();
    throw err;
  });
  try {
    const commit = await cloneCommit({
      git,
      dir,
      url,
      ref: options.ref,
      authHeader: options.authHeader,
      signal: options.signal,
      limits: { ...CLONE_LIMITS, ...options.limits },
    });
    const committedAt = await committerDate(git, dir, commit, options.signal);
    return {
      dir,
      source: target,
      revision: Promise.resolve({ commit, ...(committedAt ? { committedAt } : {}) }),
      ref: options.ref,
      dispose,
    };
  } catch (err) {
    await dispose();
    const at = options.ref ? ` at ${options.ref}` : '';
    throw new UserError(cleanText(`could not clone ${target}${at}: ${errorMessage(err)}`.slice(0, MAX_MESSAGE_CHARS)));
  } finally {
    await git.close();
  }
}
