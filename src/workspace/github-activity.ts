/**
 * The two GitHub REST calls class grading makes: a repository's lookup (does it exist, which is
 * its default branch) and its activity (when each push moved a branch). The token goes in the
 * Authorization header to the API's own origin only; it never appears in a URL or a message.
 */
import { InfrastructureError, UserError, errorMessage } from '../basics/errors.js';
import { isLoopback } from '../basics/net.js';
import { clip, cleanText } from '../basics/sanitize.js';
import { VERSION } from '../basics/version.js';
import { isNoCommit, reachesDeadline, type BranchMove } from './deadline-choice.js';

export interface GitHubAccess {
  /** REST API root: https://api.github.com, or https://HOST/api/v3 on GitHub Enterprise Server. */
  apiUrl: string;
  /** Where its repositories are cloned from: https://github.com, or https://HOST. */
  serverUrl: string;
  token?: string;
}

const PUBLIC_API = 'https://api.github.com';
const REQUEST_TIMEOUT_MS = 30_000;
const MAX_REDIRECTS = 3;
/** 100 per page: up to 5,000 moves of one branch after the deadline are read to reach it. */
const PER_PAGE = 100;
export const MAX_ACTIVITY_PAGES = 50;
const MAX_MESSAGE_CHARS = 200;
const SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/**
 * The access for `apiUrl` (default: `GITHUB_API_URL`, else GitHub.com), with the server its
 * repositories are cloned from. A token travels over HTTPS only (plain HTTP to this machine aside).
 */
export function githubAccessFrom(options: { apiUrl?: string; token?: string }): GitHubAccess {
  const apiUrl = (options.apiUrl || process.env.GITHUB_API_URL || PUBLIC_API).replace(/\/+$/, '');
  let url: URL;
  try {
    url = new URL(apiUrl);
  } catch {
    throw new UserError(`not a GitHub API URL: "${cleanText(apiUrl)}"`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
    throw new UserError(`the GitHub API URL must use https: "${cleanText(apiUrl)}"`);
  }
  const access: GitHubAccess = { apiUrl, serverUrl: serverUrlOf(url) };
  // Kept out of what logging or JSON.stringify would show of the object.
  if (options.token) Object.defineProperty(access, 'token', { value: options.token, enumerable: false });
  return access;
}

function serverUrlOf(api: URL): string {
  if (api.hostname === 'api.github.com' && api.pathname === '/') return 'https://github.com';
  // GitHub Enterprise Cloud with data residency: api.SUBDOMAIN.ghe.com serves SUBDOMAIN.ghe.com.
  if (/^api\.[^.]+\.ghe\.com$/.test(api.hostname) && api.pathname === '/') return `https://${api.hostname.slice('api.'.length)}`;
  const server = /^(.*)\/api\/v3$/.exec(api.pathname);
  if (server) return `${api.origin}${server[1]}`;
  // Any other API is taken to serve git at the same place (as a stand-in for GitHub may).
  return `${api.origin}${api.pathname.replace(/\/+$/, '')}`;
}

export interface RepositoryInfo {
  defaultBranch: string;
  private: boolean;
}

/** The repository's lookup; undefined when the API says there is none (or none this token may see). */
export async function getRepository(
  access: GitHubAccess,
  owner: string,
  name: string,
  signal?: AbortSignal,
): Promise<RepositoryInfo | undefined> {
  const what = `${owner}/${name}`;
  const response = await apiGet(access, `${access.apiUrl}/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}`, what, signal);
  if (response.status === 404) return undefined;
  const body = await okBody(response, access, what);
  if (!isRecord(body) || typeof body.default_branch !== 'string' || typeof body.private !== 'boolean') {
    throw unexpected(access, what);
  }
  return { defaultBranch: body.default_branch, private: body.private };
}

/**
 * The moves of `branch`, newest first, read page by page until one reaches back to the
 * deadline (older pages cannot change which commit was on the branch then) or none is left.
 */
export async function listBranchMoves(
  access: GitHubAccess,
  repository: { owner: string; name: string; branch: string },
  deadline: Date,
  signal?: AbortSignal,
): Promise<BranchMove[]> {
  const { owner, name, branch } = repository;
  const what = `${owner}/${name}`;
  const first = new URL(`${access.apiUrl}/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}/activity`);
  first.searchParams.set('ref', `refs/heads/${branch}`);
  first.searchParams.set('per_page', String(PER_PAGE));
  const moves: BranchMove[] = [];
  let next: string | undefined = first.href;
  for (let page = 0; next; page++) {
    if (page === MAX_ACTIVITY_PAGES) {
      throw new InfrastructureError(
        `${what}: more than ${MAX_ACTIVITY_PAGES * PER_PAGE} pushes to ${cleanText(branch)} came after the deadline; the grader reads no further back`,
      );
    }
    const response = await apiGet(access, next, what, signal);
    if (response.status === 404) {
      throw new InfrastructureError(
        `${what}: ${access.apiUrl} has no repository activity API (a GitHub Enterprise Server too old for deadlines by push time?)`,
      );
    }
    const body = await okBody(response, access, what);
    if (!Array.isArray(body)) throw unexpected(access, what);
    const pageMoves = body.map((item) => toMove(item, access, what));
    moves.push(...pageMoves);
    if (reachesDeadline(pageMoves, deadline)) break;
    next = nextPage(response.headers.get('link'), access, what);
  }
  return moves;
}

function toMove(item: unknown, access: GitHubAccess, what: string): BranchMove {
  if (!isRecord(item) || typeof item.after !== 'string' || typeof item.timestamp !== 'string') throw unexpected(access, what);
  const at = Date.parse(item.timestamp);
  if (Number.isNaN(at) || !(SHA.test(item.after) || isNoCommit(item.after))) throw unexpected(access, what);
  return { after: item.after, at };
}

/** The Link header's rel="next", which must stay on the API's origin (the token goes with it). */
function nextPage(link: string | null, access: GitHubAccess, what: string): string | undefined {
  const target = link
    ?.split(',')
    .map((part) => /^\s*<([^>]*)>\s*;(.*)$/.exec(part))
    .find((m) => m && /\brel="?next"?/.test(m[2] ?? ''))?.[1];
  if (target === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(target, access.apiUrl);
  } catch {
    throw unexpected(access, what);
  }
  if (url.origin !== new URL(access.apiUrl).origin) {
    throw new InfrastructureError(`${what}: GitHub's API pointed the next page at another server; not followed`);
  }
  return url.href;
}

/** GET with the token, following redirects only within the API's origin. */
async function apiGet(access: GitHubAccess, url: string, what: string, signal: AbortSignal | undefined): Promise<Response> {
  const origin = new URL(access.apiUrl).origin;
  const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
  const headers: Record<string, string> = {
    accept: 'application/vnd.github+json',
    'x-github-api-version': '2022-11-28',
    'user-agent': `grader/${VERSION}`,
    ...(access.token ? { authorization: `Bearer ${access.token}` } : {}),
  };
  let target = url;
  for (let hop = 0; ; hop++) {
    let response: Response;
    try {
      response = await fetch(target, {
        headers,
        redirect: 'manual',
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      const why = timeout.aborted ? `no answer within ${REQUEST_TIMEOUT_MS / 1000} s` : networkCause(err);
      throw new InfrastructureError(`${what}: could not reach GitHub's API at ${access.apiUrl}: ${why}`);
    }
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || !location) return response;
    await response.body?.cancel();
    const moved = new URL(location, target);
    if (moved.origin !== origin || hop === MAX_REDIRECTS) {
      throw new InfrastructureError(`${what}: GitHub's API redirected to ${cleanText(moved.origin)}; not followed`);
    }
    target = moved.href;
  }
}

/** The JSON body of a successful answer; any other answer becomes an InfrastructureError that says what to do. */
async function okBody(response: Response, access: GitHubAccess, what: string): Promise<unknown> {
  const text = await response.text().catch(() => '');
  if (response.ok) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw unexpected(access, what);
    }
  }
  const said = apiMessage(text);
  const status = `${response.status}${said ? ` "${said}"` : ''}`;
  const noToken = access.token ? '' : ' No token was given.';
  if (response.status === 401) {
    throw new InfrastructureError(
      `${what}: GitHub's API at ${access.apiUrl} refused ${access.token ? 'the token' : 'the request'} (${status}).${noToken}`,
    );
  }
  if (response.status === 403 || response.status === 429) {
    const reset = Number(response.headers.get('x-ratelimit-reset'));
    if (response.headers.get('x-ratelimit-remaining') === '0' || /rate limit/i.test(said)) {
      const when = Number.isFinite(reset) && reset > 0 ? `; it resets at ${new Date(reset * 1000).toISOString()}` : '';
      throw new InfrastructureError(`${what}: GitHub's API rate limit is used up (${status})${when}.${noToken}`);
    }
    throw new InfrastructureError(`${what}: GitHub's API at ${access.apiUrl} denied access (${status}).${noToken}`);
  }
  throw new InfrastructureError(`${what}: GitHub's API at ${access.apiUrl} answered ${status}`);
}

function apiMessage(text: string): string {
  try {
    const body = JSON.parse(text) as unknown;
    if (isRecord(body) && typeof body.message === 'string') return clip(cleanText(body.message).replace(/\s+/g, ' '), MAX_MESSAGE_CHARS);
  } catch {
    // Not JSON: said nothing usable.
  }
  return '';
}

function unexpected(access: GitHubAccess, what: string): InfrastructureError {
  return new InfrastructureError(`${what}: GitHub's API at ${access.apiUrl} gave an answer the grader does not understand`);
}

/** What went wrong under fetch's "fetch failed": ECONNREFUSED, ENOTFOUND and the like. */
function networkCause(err: unknown): string {
  const cause = err instanceof Error ? (err.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  if (typeof cause?.code === 'string') return cause.code;
  return errorMessage(cause ?? err);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
