/**
 * Which commit to grade for one roster row. Without a deadline: the head of the branch, learnt
 * cheaply (ls-remote, rev-parse), so a rerun that finds nothing changed clones nothing. With a
 * deadline: on GitHub, the commit the branch pointed at by push time (the activity API; commit
 * dates can be forged); elsewhere, by committer date, which is all git records.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, realpath, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { InfrastructureError, UserError, errorMessage } from '../basics/errors.js';
import { cleanText } from '../basics/sanitize.js';
import { CLONE_LIMITS, CloneStopped, cloneHistory, lowSpeed } from './clone.js';
import { chooseByCommitterDate, chooseByPushTime, type DatedCommit, type DeadlineChoice } from './deadline-choice.js';
import { GitFailed, GitRunner, type GitCall } from './git.js';
import { getRepository, listBranchMoves, type GitHubAccess } from './github-activity.js';
import { looksLikeGitUrl } from './submission.js';

export { githubAccessFrom, type GitHubAccess } from './github-activity.js';

export type RepositoryKind = 'github' | 'git-url' | 'local';

export interface ResolveRequest {
  /** As the roster gives it: `owner/name`, a git URL, or a path (relative to `baseDir`). */
  repository: string;
  /** The roster's folder. */
  baseDir: string;
  /** The repository's default branch when absent. */
  branch?: string;
  deadline?: Date;
  github: GitHubAccess;
  signal?: AbortSignal;
}

export type Resolution =
  | {
      status: 'found';
      kind: RepositoryKind;
      /** What `openSubmission` clones or opens: a URL or an absolute path. */
      target: string;
      /** The commit to check out, when known (a plain folder has none). */
      ref?: string;
      commit?: string;
      /** ISO 8601, when known without a clone. */
      committedAt?: string;
      /** When the commit got on the branch, by GitHub's record (deadlines on GitHub only). */
      pushedAt?: string;
      deadlineBasis?: 'push-time' | 'committer-date';
      /** How long after the deadline the newest later work came, when any did. */
      lateMs?: number;
      /** For cloning from the GitHub server with the token: pass to `openSubmission`; never log it. */
      authHeader?: string;
    }
  | { status: 'missing'; reason: string };

type Found = Extract<Resolution, { status: 'found' }>;

type Located = { kind: 'github'; owner: string; name: string } | { kind: 'git-url'; url: string } | { kind: 'local'; dir: string };

/** GitHub's rules for account and repository names. */
const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const NAME = /^(?!\.{1,2}$)[A-Za-z0-9._-]{1,100}$/;
/** Asking a server for a branch's head: no transfer to speak of, but a server may hang. */
const REMOTE_TIMEOUT_MS = 60_000;
/** Reading a repository on this machine. */
const LOCAL_TIMEOUT_MS = 30_000;
/** A first-parent chain longer than this is not walked to the deadline. */
const MAX_CHAIN_COMMITS = 200_000;
const SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/**
 * A path that exists (relative to `baseDir`) is local; then `owner/name` is on GitHub; then a
 * git URL is one (on GitHub when it points at `serverUrl`); anything else is a path that is missing.
 */
export function repositoryKind(repository: string, baseDir: string, serverUrl?: string): RepositoryKind {
  return locate(repository, baseDir, serverUrl).kind;
}

function locate(repository: string, baseDir: string, serverUrl: string | undefined): Located {
  const dir = path.resolve(baseDir, repository);
  if (existsSync(dir)) return { kind: 'local', dir };
  const slug = ownerAndName(repository);
  if (slug) return { kind: 'github', ...slug };
  if (looksLikeGitUrl(repository)) {
    const onServer = serverUrl ? githubRepositoryAt(repository, serverUrl) : undefined;
    return onServer ? { kind: 'github', ...onServer } : { kind: 'git-url', url: repository };
  }
  return { kind: 'local', dir };
}

function ownerAndName(text: string): { owner: string; name: string } | undefined {
  const [owner = '', rawName = '', ...rest] = text.split('/');
  const name = rawName.replace(/\.git$/, '');
  return rest.length === 0 && OWNER.test(owner) && NAME.test(name) ? { owner, name } : undefined;
}

/** `owner/name` of a clone URL (https, ssh or scp-like) of the GitHub server's repositories. */
function githubRepositoryAt(url: string, serverUrl: string): { owner: string; name: string } | undefined {
  const server = new URL(serverUrl);
  const scp = /^git@([^:/]+):(.*)$/.exec(url);
  if (scp) return scp[1]?.toLowerCase() === server.hostname ? ownerAndName((scp[2] ?? '').replace(/\/$/, '')) : undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const sameServer =
    parsed.protocol === 'ssh:'
      ? parsed.hostname === server.hostname
      : parsed.origin === server.origin && parsed.protocol === server.protocol;
  const prefix = parsed.protocol === 'ssh:' ? '' : server.pathname.replace(/\/$/, '');
  if (!sameServer || parsed.search || parsed.hash || !parsed.pathname.startsWith(`${prefix}/`)) return undefined;
  return ownerAndName(parsed.pathname.slice(prefix.length + 1).replace(/\/$/, ''));
}

export async function resolveCommit(request: ResolveRequest): Promise<Resolution> {
  if (request.branch !== undefined) checkBranch(request.branch);
  const located = locate(request.repository, request.baseDir, request.github.serverUrl);
  const git = await GitRunner.create();
  let scratch: string | undefined;
  const tools: Tools = {
    git,
    scratch: async () => (scratch ??= await mkdtemp(path.join(os.tmpdir(), 'grader-resolve-'))),
  };
  try {
    if (located.kind === 'github') return await resolveGitHub(located.owner, located.name, request, tools);
    if (located.kind === 'git-url') return await resolveGitUrl(located.url, request, tools);
    return await resolveLocal(located.dir, request, tools);
  } catch (err) {
    if (request.signal?.aborted) throw request.signal.reason;
    throw err;
  } finally {
    await git.close();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  }
}

interface Tools {
  git: GitRunner;
  /** An empty folder of this resolution's own, made on first use and removed at the end. */
  scratch(): Promise<string>;
}

/** A branch reaches git and the API as part of a ref; one that git would misread is refused. */
function checkBranch(branch: string): void {
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  if (!branch || branch.startsWith('-') || /[\s\x00-\x1f\x7f~^:?*[\\]|\.\.|@\{|^\/|\/$|\.lock$/.test(branch)) {
    throw new UserError(`not a branch name: ${cleanText(JSON.stringify(branch))}`);
  }
}

async function resolveGitHub(owner: string, name: string, request: ResolveRequest, tools: Tools): Promise<Resolution> {
  const { github, deadline, signal } = request;
  const slug = `${owner}/${name}`;
  const info = await getRepository(github, owner, name, signal);
  if (!info) {
    const host = new URL(github.serverUrl).host;
    return missing(`no repository ${slug} on ${host}${github.token ? '' : ' (or it is private, and no token was given)'}`);
  }
  const branch = request.branch ?? info.defaultBranch;
  const authHeader = github.token ? `AUTHORIZATION: basic ${Buffer.from(`x-access-token:${github.token}`).toString('base64')}` : undefined;
  const found: Found = {
    status: 'found',
    kind: 'github',
    target: `${github.serverUrl}/${owner}/${name}.git`,
    ...(authHeader ? { authHeader } : {}),
  };

  if (!deadline) {
    // Scoped to the server, so that git sends the token nowhere else.
    const privateConfig = authHeader ? ([[`http.${github.serverUrl}/.extraHeader`, authHeader]] as const) : [];
    const head = await remoteHead(tools, found.target, branch, privateConfig, signal).catch((err: unknown) => {
      throw new InfrastructureError(`${slug}: could not read the branch ${cleanText(branch)} from ${github.serverUrl}: ${gitReason(err)}`);
    });
    if (!head) return missing(`${slug} has no branch ${branch}`);
    return { ...found, ref: head, commit: head };
  }
  const moves = await listBranchMoves(github, { owner, name, branch }, deadline, signal);
  const choice = chooseByPushTime(moves, deadline);
  if (!choice.found) return missing(notFoundReason(choice, branch, 'push-time'));
  return { ...found, ...chosen(choice, 'push-time') };
}

async function resolveGitUrl(url: string, request: ResolveRequest, tools: Tools): Promise<Resolution> {
  const { deadline, branch, signal } = request;
  const shown = displayUrl(url);
  const found: Found = { status: 'found', kind: 'git-url', target: url };
  const onBranch = branch ? `branch ${branch}` : 'default branch';
  try {
    if (!deadline) {
      const head = await remoteHead(tools, url, branch, [], signal);
      if (!head) return missing(`${shown} has no commit on its ${onBranch}`);
      return { ...found, ref: head, commit: head };
    }
    const history = path.join(await tools.scratch(), 'history.git');
    await mkdir(history);
    await cloneHistory({
      git: tools.git,
      dir: history,
      url,
      ...(branch ? { branch } : {}),
      limits: CLONE_LIMITS,
      ...(signal ? { signal } : {}),
    });
    const head = await commitNamed(tools.git, history, 'HEAD', signal);
    if (!head) return missing(`${shown} has no commit on its ${onBranch}`);
    const choice = chooseByCommitterDate(await firstParentChain(tools.git, history, head, deadline.getTime(), signal), deadline);
    if (!choice.found) return missing(notFoundReason(choice, branch ?? 'its default branch', 'committer-date'));
    return { ...found, ...chosen(choice, 'committer-date') };
  } catch (err) {
    if (signal?.aborted) throw err;
    if (err instanceof GitFailed && /Remote branch .* not found/i.test(err.message)) return missing(`${shown} has no ${onBranch}`);
    if (err instanceof GitFailed && /not found|does not appear to be a git repository|does not exist/i.test(err.message)) {
      return missing(`no repository at ${shown}`);
    }
    if (err instanceof InfrastructureError) throw err;
    throw new InfrastructureError(`could not read ${shown}: ${gitReason(err)}`);
  }
}

async function resolveLocal(dir: string, request: ResolveRequest, tools: Tools): Promise<Resolution> {
  const { deadline, branch } = request;
  const info = await stat(dir).catch(() => undefined);
  if (!info) return missing(`no repository at ${dir}`);
  if (!info.isDirectory()) return missing(`not a folder or a git repository: ${dir}`);
  const found: Found = { status: 'found', kind: 'local', target: dir };
  const signal = withTimeout(request.signal, LOCAL_TIMEOUT_MS);
  try {
    // A plain folder (or one inside a repository) has no commit of its own: it is graded as it is.
    if (!(await isRepositoryRoot(tools.git, dir, signal))) return found;
    const rev = branch ? `refs/heads/${branch}` : 'HEAD';
    const head = await commitNamed(tools.git, dir, rev, signal);
    if (!head) return missing(branch ? `the repository at ${dir} has no branch ${branch}` : `the repository at ${dir} has no commit`);
    if (!deadline) {
      const [tip] = await firstParentChain(tools.git, dir, head, Infinity, signal);
      return { ...found, ref: head, commit: head, ...(tip ? { committedAt: iso(tip.at) } : {}) };
    }
    const choice = chooseByCommitterDate(await firstParentChain(tools.git, dir, head, deadline.getTime(), signal), deadline);
    if (!choice.found) return missing(notFoundReason(choice, branch ?? 'HEAD', 'committer-date'));
    return { ...found, ...chosen(choice, 'committer-date') };
  } catch (err) {
    if (request.signal?.aborted || err instanceof InfrastructureError) throw err;
    const why = signal.aborted ? `git took longer than ${LOCAL_TIMEOUT_MS / 1000} s` : gitReason(err);
    throw new InfrastructureError(`could not read the repository at ${dir}: ${why}`);
  }
}

/** Whether `dir` is the top folder of a repository (its work tree, or a bare repository itself). */
async function isRepositoryRoot(git: GitRunner, dir: string, signal: AbortSignal): Promise<boolean> {
  const call: GitCall = { cwd: dir, signal };
  const answer = await git.run(['rev-parse', '--is-bare-repository', '--absolute-git-dir'], call).catch((err: unknown) => {
    if (signal.aborted) throw err;
    return undefined; // Not in a repository.
  });
  if (answer === undefined) return false;
  const [bare, gitDir = ''] = answer.trim().split('\n');
  const top = bare === 'true' ? gitDir : (await git.run(['rev-parse', '--show-toplevel'], call)).trim();
  return (await realpath(top).catch(() => top)) === (await realpath(dir));
}

/** The commit `rev` names in the repository at `cwd`; undefined when it names none (no such branch, no commit yet). */
async function commitNamed(git: GitRunner, cwd: string, rev: string, signal: AbortSignal | undefined): Promise<string | undefined> {
  try {
    const sha = (await git.run(['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`], { cwd, signal })).trim();
    return SHA.test(sha) ? sha : undefined;
  } catch (err) {
    if (signal?.aborted || !(err instanceof GitFailed)) throw err;
    return undefined;
  }
}

/**
 * The first-parent chain from `head`, with committer dates, down to the first commit dated at or
 * before `until` (ms; the rest cannot matter, so git is stopped there).
 */
async function firstParentChain(
  git: GitRunner,
  cwd: string,
  head: string,
  until: number,
  signal: AbortSignal | undefined,
): Promise<DatedCommit[]> {
  const chain: DatedCommit[] = [];
  const reached = new Error('reached the deadline');
  let partial = '';
  const onStdout = (chunk: Buffer) => {
    const lines = (partial + chunk.toString('latin1')).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      const [commit = '', seconds = ''] = line.split(' ');
      if (!SHA.test(commit) || !/^\d+$/.test(seconds))
        throw new InfrastructureError(`git listed the history of ${cwd} in a form the grader does not understand`);
      chain.push({ commit, at: Number(seconds) * 1000 });
      if (chain.at(-1)!.at <= until) throw reached;
      if (chain.length >= MAX_CHAIN_COMMITS)
        throw new InfrastructureError(`the branch has more than ${MAX_CHAIN_COMMITS} commits; the grader reads no further back`);
    }
  };
  const args = ['rev-list', '--first-parent', '--no-commit-header', '--format=%H %ct', head, '--'];
  await git.run(args, { cwd, signal, onStdout }).catch((err: unknown) => {
    if (err !== reached) throw err;
  });
  return chain;
}

/** The head commit of `branch` (the server's HEAD when absent) at `url`, asked with ls-remote. */
async function remoteHead(
  tools: Tools,
  url: string,
  branch: string | undefined,
  privateConfig: ReadonlyArray<readonly [string, string]>,
  signal: AbortSignal | undefined,
): Promise<string | undefined> {
  const wanted = branch ? `refs/heads/${branch}` : 'HEAD';
  const args = ['ls-remote', ...(branch ? [] : ['--symref']), '--', url, wanted];
  const timed = withTimeout(signal, REMOTE_TIMEOUT_MS);
  let listing: string;
  try {
    listing = await tools.git.run(args, { cwd: await tools.scratch(), signal: timed, config: lowSpeed(CLONE_LIMITS), privateConfig });
  } catch (err) {
    if (timed.aborted && !signal?.aborted) throw new CloneStopped(`the server did not answer within ${REMOTE_TIMEOUT_MS / 1000} s`);
    throw err;
  }
  // Patterns match refs by their end: only the exact name counts.
  return listing
    .split('\n')
    .map((line) => line.split('\t'))
    .find(([sha = '', ref]) => ref === wanted && SHA.test(sha))?.[0];
}

function chosen(choice: Extract<DeadlineChoice, { found: true }>, basis: 'push-time' | 'committer-date'): Partial<Found> {
  return {
    ref: choice.commit,
    commit: choice.commit,
    ...(basis === 'push-time' ? { pushedAt: iso(choice.at) } : { committedAt: iso(choice.at) }),
    deadlineBasis: basis,
    ...(choice.lateMs !== undefined ? { lateMs: choice.lateMs } : {}),
  };
}

function notFoundReason(choice: Extract<DeadlineChoice, { found: false }>, branch: string, basis: 'push-time' | 'committer-date'): string {
  if (choice.why === 'deleted-before-deadline') return `the branch ${branch} was deleted before the deadline`;
  return basis === 'push-time'
    ? `nothing was pushed to ${branch} before the deadline`
    : `no commit on ${branch} is dated before the deadline`;
}

function missing(reason: string): Resolution {
  return { status: 'missing', reason: cleanText(reason) };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function withTimeout(signal: AbortSignal | undefined, ms: number): AbortSignal {
  const timeout = AbortSignal.timeout(ms);
  return signal ? AbortSignal.any([signal, timeout]) : timeout;
}

/** A URL fit for a message: without a user or password it may carry. */
function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return cleanText(parsed.href);
  } catch {
    return cleanText(url);
  }
}

function gitReason(err: unknown): string {
  return cleanText(errorMessage(err)).slice(0, 300);
}
