/**
 * Getting the submission onto disk: a local folder as it is, or a git repository
 * (URL or local path) cloned at a ref into a temporary folder that `dispose()` removes.
 * The only module that imports simple-git.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import { UserError, errorMessage } from '../core/errors.js';

export interface Submission {
  /** Absolute path of the submission's root folder. */
  dir: string;
  /** What the user named: a folder or a repository URL. */
  source: string;
  /** The commit graded, when the submission is a git repository. */
  commit?: string;
  ref?: string;
  dispose(): Promise<void>;
}

export interface OpenOptions {
  ref?: string;
  /** Extra HTTP header for cloning private repositories (e.g. `Authorization: basic …`); never logged. */
  authHeader?: string;
}

const GIT_URL = /^(?:[a-z][a-z0-9+.-]*:\/\/|git@[^:]+:)/i;

export function looksLikeGitUrl(target: string): boolean {
  return GIT_URL.test(target);
}

export async function openSubmission(target: string, options: OpenOptions = {}): Promise<Submission> {
  if (looksLikeGitUrl(target) || options.ref) return cloneSubmission(target, options);
  return openFolder(target);
}

async function openFolder(target: string): Promise<Submission> {
  const dir = path.resolve(target);
  const info = await stat(dir).catch(() => undefined);
  if (!info) throw new UserError(`submission folder not found: ${dir}`);
  if (!info.isDirectory()) throw new UserError(`submission is not a folder: ${dir}`);
  const commit = await headCommit(simpleGit(dir));
  return { dir, source: target, commit, dispose: async () => {} };
}

async function cloneSubmission(target: string, options: OpenOptions): Promise<Submission> {
  const url = looksLikeGitUrl(target) ? target : path.resolve(target);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'grader-submission-'));
  const dispose = () => rm(dir, { recursive: true, force: true });
  try {
    const git = gitWith(dir, options.authHeader);
    await fetchRef(git, url, options.ref);
    const commit = await headCommit(git);
    return { dir, source: target, commit, ref: options.ref, dispose };
  } catch (err) {
    await dispose();
    throw new UserError(`could not clone ${target}${options.ref ? ` at ${options.ref}` : ''}: ${firstLine(errorMessage(err))}`);
  }
}

function gitWith(dir: string, authHeader?: string): SimpleGit {
  const config = ['advice.detachedHead=false', 'core.symlinks=true'];
  if (authHeader) config.push(`http.extraHeader=${authHeader}`);
  // The grader's environment (tokens included) must not reach hooks or credential helpers.
  return simpleGit({ baseDir: dir, config, allowEnvironment: ['GIT_TERMINAL_PROMPT'] }).env({
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: os.tmpdir(),
    GIT_TERMINAL_PROMPT: '0',
  });
}

/**
 * Shallow where the server allows: a single commit fetched by name (branch, tag or SHA);
 * servers that refuse to serve an unadvertised SHA get a full fetch instead.
 */
async function fetchRef(git: SimpleGit, url: string, ref: string | undefined): Promise<void> {
  await git.init();
  await git.addRemote('origin', url);
  const wanted = ref ?? 'HEAD';
  try {
    await git.fetch(['--depth', '1', '--no-tags', 'origin', wanted]);
  } catch (shallowError) {
    try {
      await git.fetch(['--tags', 'origin', '+refs/heads/*:refs/remotes/origin/*']);
    } catch {
      throw shallowError;
    }
    const commit = await resolveFetched(git, wanted);
    await git.checkout(['--detach', commit]);
    return;
  }
  await git.checkout(['--detach', 'FETCH_HEAD']);
}

async function resolveFetched(git: SimpleGit, ref: string): Promise<string> {
  for (const candidate of [ref, `origin/${ref}`, `refs/tags/${ref}`]) {
    const sha = await git.revparse(['--verify', '--quiet', `${candidate}^{commit}`]).catch(() => '');
    if (sha.trim()) return sha.trim();
  }
  throw new Error(`no branch, tag or commit named "${ref}"`);
}

async function headCommit(git: SimpleGit): Promise<string | undefined> {
  try {
    if (!(await git.checkIsRepo())) return undefined;
    return (await git.revparse(['HEAD'])).trim() || undefined;
  } catch {
    return undefined;
  }
}

function firstLine(text: string): string {
  return text.split('\n').find((l) => l.trim() !== '')?.trim() ?? text;
}
