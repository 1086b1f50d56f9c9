/**
 * What the action needs to know about the workflow run, read from the runner's
 * environment and the event payload: where to post, and on which commit.
 */
import { readFileSync } from 'node:fs';

export interface PullRequestTarget {
  number: number;
  /** The head branch lives in another repository: the token is read-only. */
  fromFork: boolean;
}

export interface RunContext {
  eventName: string;
  owner: string;
  repo: string;
  apiUrl: string;
  /** The commit a check run belongs on: the PR head (not the merge commit), or the pushed commit. */
  checkSha?: string;
  /** Set on pull_request events: where the comment goes. */
  pullRequest?: PullRequestTarget;
  /** Link to this workflow run, for the check run's "details". */
  runUrl?: string;
}

interface PullRequestPayload {
  number?: unknown;
  head?: { sha?: unknown; repo?: { full_name?: unknown } | null };
  base?: { repo?: { full_name?: unknown } | null };
}

export function readRunContext(env: NodeJS.ProcessEnv = process.env): RunContext {
  return runContextFrom(env, readPayload(env.GITHUB_EVENT_PATH));
}

export function runContextFrom(env: NodeJS.ProcessEnv, payload: Record<string, unknown>): RunContext {
  const eventName = env.GITHUB_EVENT_NAME ?? '';
  const [owner = '', repo = ''] = (env.GITHUB_REPOSITORY ?? '').split('/');
  const serverUrl = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
  const context: RunContext = {
    eventName,
    owner,
    repo,
    apiUrl: (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, ''),
    ...(env.GITHUB_RUN_ID && owner ? { runUrl: `${serverUrl}/${owner}/${repo}/actions/runs/${env.GITHUB_RUN_ID}` } : {}),
  };
  if (eventName === 'pull_request' || eventName === 'pull_request_target') {
    const pr = payload.pull_request as PullRequestPayload | undefined;
    const number = typeof pr?.number === 'number' ? pr.number : undefined;
    const headSha = typeof pr?.head?.sha === 'string' ? pr.head.sha : undefined;
    return {
      ...context,
      ...(headSha ? { checkSha: headSha } : {}),
      ...(number !== undefined ? { pullRequest: { number, fromFork: isFromFork(pr) } } : {}),
    };
  }
  if (eventName === 'push' && env.GITHUB_SHA) return { ...context, checkSha: env.GITHUB_SHA };
  return context;
}

function isFromFork(pr: PullRequestPayload | undefined): boolean {
  const head = pr?.head?.repo?.full_name;
  const base = pr?.base?.repo?.full_name;
  // A deleted fork leaves head.repo null: still not this repository.
  return typeof base === 'string' && head !== base;
}

function readPayload(file: string | undefined): Record<string, unknown> {
  if (!file) return {};
  try {
    const payload: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return payload && typeof payload === 'object' ? (payload as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
