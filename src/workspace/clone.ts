/**
 * Cloning one commit into a folder, within bounds: a deadline for the whole job, a floor
 * on HTTP transfer speed, a cap on the download, and caps on the files the commit checks
 * out, counted from its tree before a single file is written.
 */
import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import { errorMessage } from '../basics/errors.js';
import { formatBinaryBytes } from '../basics/units.js';
import { DEFAULT_CONTEXT_LIMITS } from '../engine/build/build-context.js';
import { GitFailed, type GitCall, type GitRunner } from './git.js';

export interface CloneLimits {
  /** The whole clone (fetch, checks, checkout) must be done within this. */
  timeoutMs: number;
  /** Over HTTP(S), a transfer slower than this many bytes a second for `lowSpeedSeconds` is given up. */
  lowSpeedBytesPerSecond: number;
  lowSpeedSeconds: number;
  /** Most files the commit may check out. */
  maxFiles: number;
  /** Most bytes the download may take, and (separately) the files the commit checks out. */
  maxBytes: number;
}

/** A repository may hold more than the folder it builds, so its caps are a multiple of the build context's. */
const CONTEXT_HEADROOM = 4;

export const CLONE_LIMITS: CloneLimits = {
  timeoutMs: 120_000,
  lowSpeedBytesPerSecond: 1024,
  lowSpeedSeconds: 30,
  maxFiles: CONTEXT_HEADROOM * DEFAULT_CONTEXT_LIMITS.maxFiles,
  maxBytes: CONTEXT_HEADROOM * DEFAULT_CONTEXT_LIMITS.maxBytes,
};

const DOWNLOAD_POLL_MS = 250;

/** The clone was stopped on purpose: a limit, the deadline, an interrupt. The message says why, for people. */
export class CloneStopped extends Error {
  override readonly name = 'CloneStopped';
}

export interface CloneRequest {
  git: GitRunner;
  /** An empty folder to clone into. */
  dir: string;
  url: string;
  /** Branch, tag or commit; the server's HEAD when absent. */
  ref?: string;
  /** Extra HTTP header for private repositories; kept off command lines. */
  authHeader?: string;
  limits: CloneLimits;
  signal?: AbortSignal;
}

/** Clones into `request.dir`, checked out detached, and resolves with the commit. Git is never left running. */
export function cloneCommit(request: CloneRequest): Promise<string> {
  return withinLimits(request.limits, request.signal, (stop) => cloneSteps(request, stop));
}

export interface HistoryRequest {
  git: GitRunner;
  /** An empty folder: it becomes a bare repository. */
  dir: string;
  url: string;
  /** The server's HEAD when absent. */
  branch?: string;
  limits: CloneLimits;
  signal?: AbortSignal;
}

/**
 * Clones the history of one branch into a bare repository, without file contents where the
 * server allows (`--filter=blob:none`; a server that does not gets a full clone), within the
 * same bounds as `cloneCommit`.
 */
export function cloneHistory(request: HistoryRequest): Promise<void> {
  const { git, dir, limits } = request;
  return withinLimits(limits, request.signal, async (stop) => {
    const args = ['clone', '--bare', '--quiet', '--template=', '--filter=blob:none', '--single-branch', '--no-tags'];
    if (request.branch) args.push('--branch', request.branch);
    await withDownloadCap(path.join(dir, 'objects'), limits.maxBytes, stop, () =>
      git.run([...args, '--', request.url, dir], { cwd: dir, signal: stop.signal, config: lowSpeed(limits) }),
    );
  });
}

/** Runs `steps` until the limits' time runs out or `signal` aborts, then stops them; rejects with why. */
async function withinLimits<T>(
  limits: CloneLimits,
  signal: AbortSignal | undefined,
  steps: (stop: AbortController) => Promise<T>,
): Promise<T> {
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(new CloneStopped(`it took longer than ${seconds(limits.timeoutMs)}`)), limits.timeoutMs);
  const onInterrupt = () => stop.abort(new CloneStopped(errorMessage(signal?.reason ?? 'interrupted')));
  if (signal?.aborted) onInterrupt();
  else signal?.addEventListener('abort', onInterrupt, { once: true });
  try {
    return await steps(stop);
  } catch (err) {
    throw stop.signal.aborted ? stop.signal.reason : explain(err, limits);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onInterrupt);
  }
}

/** The `-c` settings that make git give up on an HTTP transfer slower than the limits allow. */
export function lowSpeed(limits: CloneLimits): string[] {
  return [`http.lowSpeedLimit=${limits.lowSpeedBytesPerSecond}`, `http.lowSpeedTime=${limits.lowSpeedSeconds}`];
}

async function cloneSteps(request: CloneRequest, stop: AbortController): Promise<string> {
  const { git, dir, limits } = request;
  const call: GitCall = { cwd: dir, signal: stop.signal };
  await git.run(['init', '--quiet', '--template='], call);
  const fetchCall: GitCall = {
    ...call,
    config: lowSpeed(limits),
    // Scoped to the repository's URL: a redirect elsewhere does not get the header.
    privateConfig: request.authHeader ? [[`http.${request.url}.extraHeader`, request.authHeader]] : [],
  };
  const commit = await withDownloadCap(path.join(dir, '.git', 'objects'), limits.maxBytes, stop, () =>
    fetchCommit(git, { local: call, remote: fetchCall }, request.url, request.ref),
  );
  await checkTree(git, call, commit, limits);
  await git.run(['checkout', '--quiet', '--detach', commit], { ...call, config: ['core.symlinks=true'] });
  return commit;
}

/**
 * Shallow where the server allows: one commit fetched by name (branch, tag or SHA).
 * Servers that refuse (an unadvertised SHA, a "dumb" HTTP server) get a fetch of all branches and tags instead.
 */
async function fetchCommit(
  git: GitRunner,
  calls: { local: GitCall; remote: GitCall },
  url: string,
  ref: string | undefined,
): Promise<string> {
  const { local, remote } = calls;
  const wanted = ref ?? 'HEAD';
  try {
    await git.run(['fetch', '--quiet', '--depth', '1', '--no-tags', '--end-of-options', url, wanted], remote);
    return await commitOf(git, local, 'FETCH_HEAD');
  } catch (shallowError) {
    // A server that stalls is not asked twice.
    if (local.signal?.aborted || isStall(shallowError)) throw shallowError;
    // The server's HEAD is no branch: it is asked for by name when it is what is wanted.
    const refspecs = ['+refs/heads/*:refs/remotes/origin/*', ...(ref ? [] : ['+HEAD:refs/remotes/origin/HEAD'])];
    try {
      await git.run(['fetch', '--quiet', '--tags', '--end-of-options', url, ...refspecs], remote);
    } catch (fullError) {
      throw local.signal?.aborted ? fullError : shallowError;
    }
    for (const candidate of [wanted, `origin/${wanted}`, `refs/tags/${wanted}`]) {
      const commit = await commitOf(git, local, candidate).catch(() => undefined);
      if (commit) return commit;
    }
    throw new Error(`no branch, tag or commit named "${wanted}"`);
  }
}

async function commitOf(git: GitRunner, call: GitCall, name: string): Promise<string> {
  const sha = (await git.run(['rev-parse', '--verify', '--quiet', '--end-of-options', `${name}^{commit}`], call)).trim();
  if (!sha) throw new Error(`no commit named "${name}"`);
  return sha;
}

/** Stops the clone as soon as the objects fetched so far pass `maxBytes`, and checks once more when the fetch is done. */
async function withDownloadCap<T>(objectsDir: string, maxBytes: number, stop: AbortController, fetch: () => Promise<T>): Promise<T> {
  const check = async () => {
    if ((await folderBytes(objectsDir)) > maxBytes) {
      stop.abort(new CloneStopped(`the download passed ${formatBinaryBytes(maxBytes)}, the most the grader takes`));
    }
  };
  let measuring = false;
  const poll = setInterval(() => {
    if (measuring) return;
    measuring = true;
    void check().finally(() => (measuring = false));
  }, DOWNLOAD_POLL_MS);
  try {
    const result = await fetch();
    await check();
    if (stop.signal.aborted) throw stop.signal.reason;
    return result;
  } finally {
    clearInterval(poll);
  }
}

async function folderBytes(dir: string): Promise<number> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  let total = 0;
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    // Files come and go while git works (temporary packs renamed into place).
    total += (await lstat(path.join(entry.parentPath, entry.name)).catch(() => undefined))?.size ?? 0;
  }
  return total;
}

/** Refuses a commit whose tree checks out to more files or bytes than the limits, reading the tree only as far as needed. */
async function checkTree(git: GitRunner, call: GitCall, commit: string, limits: CloneLimits): Promise<void> {
  let files = 0;
  let bytes = 0;
  let partial = '';
  const onStdout = (chunk: Buffer) => {
    // Entries are `<mode> <type> <object> <size>\t<path>`, each ended by NUL; only the ASCII head is read.
    const entries = (partial + chunk.toString('latin1')).split('\0');
    partial = entries.pop() ?? '';
    for (const entry of entries) {
      files += 1;
      bytes += Number(entry.slice(0, entry.indexOf('\t')).split(/ +/)[3]) || 0;
      if (files > limits.maxFiles) {
        throw new CloneStopped(`the commit has more than ${count(limits.maxFiles)} files, the most the grader takes`);
      }
      if (bytes > limits.maxBytes) {
        throw new CloneStopped(`the commit's files take more than ${formatBinaryBytes(limits.maxBytes)}, the most the grader takes`);
      }
    }
  };
  await git.run(['ls-tree', '-r', '-l', '-z', '--full-tree', '--end-of-options', commit], { ...call, onStdout });
}

/** Git's failure, said plainly where git's own words are obscure. */
function explain(err: unknown, limits: CloneLimits): unknown {
  if (isStall(err)) {
    return new CloneStopped(
      `the server sent less than ${formatBinaryBytes(limits.lowSpeedBytesPerSecond)} a second for ${seconds(limits.lowSpeedSeconds * 1000)}`,
    );
  }
  return err;
}

/** curl gave up under `http.lowSpeedLimit`. */
function isStall(err: unknown): boolean {
  return err instanceof GitFailed && /Operation too slow/i.test(err.message);
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}
