/**
 * A stand-in for the GitHub REST API on 127.0.0.1. Every request is checked against
 * the operations extracted from GitHub's official REST description
 * (test/fixtures/github/openapi-subset.json, made by scripts/extract-github-openapi.mjs):
 * method and path template, path and query parameters, request body (required fields,
 * enums, types, maxLength, maxItems). Anything unknown or invalid is recorded in
 * `problems` (tests assert it stays empty) and answered 404/422 like GitHub would.
 *
 * It keeps state — issue comments and check runs — so a second run finds its comment,
 * and can answer writes with 403 as a fork pull request's read-only token gets.
 *
 * For class grading it also holds repositories, each backed by a bare repository on disk: it
 * answers their lookup and activity (push history) on the API, and serves them to git over
 * smart HTTP at `/{owner}/{name}.git` through `git http-backend` (git's paths are not REST and
 * are not checked against the REST description). Private ones need the token, as on GitHub.
 * The API answers both at the root (as api.github.com) and under `/api/v3` (as GitHub
 * Enterprise Server, whose git server is then `url`).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import type { ValidateFunction } from 'ajv';

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: Record<string, unknown>;
}

interface Operation {
  operationId: string;
  method: string;
  path: string;
  parameters: Parameter[];
  requestBody?: { required: boolean; schema: Record<string, unknown> };
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  operationId?: string;
  authorization?: string;
  body?: unknown;
  status: number;
}

export interface StoredComment {
  id: number;
  issue_number: number;
  body: string;
  user: { login: string; id: number; type: 'Bot' | 'User' };
  created_at: string;
  updated_at: string;
}

export interface StoredCheckRun {
  id: number;
  name: string;
  head_sha: string;
  status: string;
  conclusion: string | null;
  details_url?: string;
  external_id?: string;
  output: { title?: string; summary?: string; text?: string };
  annotations: Record<string, unknown>[];
  /** How many PATCH requests the run received. */
  updates: number;
}

export type ActivityType = 'push' | 'force_push' | 'branch_creation' | 'branch_deletion' | 'pr_merge' | 'merge_queue_merge';

/** One entry of a repository's activity: a move of a branch head, as GitHub records it. */
export interface FakeActivity {
  activity_type: ActivityType;
  /** `refs/heads/BRANCH`. */
  ref: string;
  before: string;
  after: string;
  /** When GitHub recorded it: ISO 8601. */
  timestamp: string;
  actor?: string;
}

export interface FakeRepository {
  owner: string;
  name: string;
  /** A bare repository that git clones of it are served from. */
  bareDir: string;
  defaultBranch: string;
  private: boolean;
  /** In the order they happened; the API lists them newest first. */
  activities: FakeActivity[];
}

export const NO_COMMIT = '0'.repeat(40);

export interface FakeGitHubOptions {
  /** The repository the action works on (its comments and check runs). */
  owner?: string;
  repo?: string;
  /** The only token accepted; others get 401. Any token is accepted when absent. */
  token?: string;
  /** Who the token belongs to: an installation (GITHUB_TOKEN) cannot call GET /user. */
  identity?: { kind: 'installation'; appSlug: string } | { kind: 'user'; login: string };
  /** Items per page when a list request gives no per_page (GitHub: 30). */
  defaultPerPage?: number;
}

/** GitHub's documented limit on a comment body; the REST description does not state it. */
const MAX_COMMENT_BODY = 65_536;
const FORBIDDEN = {
  message: 'Resource not accessible by integration',
  documentation_url: 'https://docs.github.com/rest',
  status: '403',
};

const FIXTURE = new URL('../fixtures/github/openapi-subset.json', import.meta.url);

export class FakeGitHub {
  readonly requests: RecordedRequest[] = [];
  readonly problems: string[] = [];
  readonly comments: StoredComment[] = [];
  readonly checkRuns = new Map<number, StoredCheckRun>();
  /** Answer every write with 403, as a fork pull request's read-only token gets. */
  readOnly = false;
  /** When set, every API request (not git's) gets this answer: a rate limit, a server error. */
  apiFailure: { status: number; body?: unknown; headers?: Record<string, string> } | undefined;
  /** Repositories by lower-cased `owner/name` (GitHub ignores case in both). */
  readonly repositories = new Map<string, FakeRepository>();

  private readonly waiters: { operationId: string; resolve: () => void }[] = [];
  private readonly routes: { op: Operation; pattern: RegExp; validateBody?: ValidateFunction }[];
  private readonly server: http.Server;
  private readonly identity: NonNullable<FakeGitHubOptions['identity']>;
  private nextId = 1000;
  private port = 0;

  private constructor(private readonly options: FakeGitHubOptions) {
    this.identity = options.identity ?? { kind: 'installation', appSlug: 'github-actions' };
    const fixture = JSON.parse(readFileSync(FIXTURE, 'utf8')) as { operations: Operation[] };
    const ajv = new Ajv({ allErrors: true, strict: false });
    ajv.addFormat('date-time', {
      type: 'string',
      validate: (s: string) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(s) && !Number.isNaN(Date.parse(s)),
    });
    ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isSafeInteger(n) });
    this.routes = fixture.operations.map((op) => ({
      op,
      pattern: new RegExp(`^${op.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, '(?<$1>[^/]+)')}$`),
      ...(op.requestBody ? { validateBody: ajv.compile(op.requestBody.schema) } : {}),
    }));
    this.server = http.createServer((req, res) => {
      void this.handle(req, res).catch((err: unknown) => {
        this.problems.push(`fake server crashed on ${req.method} ${req.url}: ${String(err)}`);
        if (!res.headersSent) send(res, 500, { message: 'fake server error' });
      });
    });
  }

  static async start(options: FakeGitHubOptions): Promise<FakeGitHub> {
    const fake = new FakeGitHub(options);
    fake.server.listen(0, '127.0.0.1');
    await once(fake.server, 'listening');
    fake.port = (fake.server.address() as AddressInfo).port;
    return fake;
  }

  /** The server's root: the API as on api.github.com, and git's repositories. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The API as on GitHub Enterprise Server, whose git server is `url`. */
  get apiUrl(): string {
    return `${this.url}/api/v3`;
  }

  addRepository(init: Pick<FakeRepository, 'owner' | 'name' | 'bareDir'> & Partial<FakeRepository>): FakeRepository {
    const repository: FakeRepository = { defaultBranch: 'main', private: false, activities: [], ...init };
    this.repositories.set(`${init.owner}/${init.name}`.toLowerCase(), repository);
    return repository;
  }

  /** Records a move of `branch` (default: the default branch), as a push to GitHub would. */
  addActivity(
    repository: FakeRepository,
    move: { before?: string; after: string; timestamp: string; activity_type?: ActivityType; branch?: string },
  ): void {
    repository.activities.push({
      activity_type: move.activity_type ?? 'push',
      ref: `refs/heads/${move.branch ?? repository.defaultBranch}`,
      before: move.before ?? repository.activities.at(-1)?.after ?? NO_COMMIT,
      after: move.after,
      timestamp: move.timestamp,
    });
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Puts a comment on an issue as if someone had written it. */
  addComment(issueNumber: number, body: string, user: StoredComment['user']): StoredComment {
    const now = new Date().toISOString();
    const comment = { id: this.nextId++, issue_number: issueNumber, body, user, created_at: now, updated_at: now };
    this.comments.push(comment);
    return comment;
  }

  commentsOn(issueNumber: number): StoredComment[] {
    return this.comments.filter((c) => c.issue_number === issueNumber);
  }

  /** Resolves once a request for `operationId` has been answered. */
  waitFor(operationId: string): Promise<void> {
    if (this.requests.some((r) => r.operationId === operationId && r.status !== 0)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ operationId, resolve }));
  }

  operations(): string[] {
    return this.requests.map((r) => r.operationId ?? `${r.method} ${r.path}`);
  }

  private get botUser(): StoredComment['user'] {
    return this.identity.kind === 'user'
      ? { login: this.identity.login, id: 1, type: 'User' }
      : { login: `${this.identity.appSlug}[bot]`, id: 41898282, type: 'Bot' };
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const record: RecordedRequest = {
      method: req.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
      status: 0,
    };
    this.requests.push(record);
    const gitPath = GIT_PATH.exec(url.pathname)?.groups;
    if (gitPath)
      return this.serveGit(req, res, { owner: gitPath.owner ?? '', name: gitPath.name ?? '', rest: gitPath.rest ?? '' }, url, record);

    const text = await readBody(req);
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      send(res, status, body, headers);
      for (const waiter of this.waiters.filter((w) => w.operationId === record.operationId)) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    };

    const apiPath = url.pathname.replace(/^\/api\/v3(?=\/)/, '');
    const route = this.routes.find((r) => r.op.method === record.method && r.pattern.test(apiPath));
    if (!route) {
      this.problems.push(`unknown route: ${record.method} ${url.pathname}`);
      return reply(404, { message: 'Not Found' });
    }
    record.operationId = route.op.operationId;
    const params = route.pattern.exec(apiPath)?.groups ?? {};
    const isRepositoryRead = REPOSITORY_READS.has(route.op.operationId);
    const errors = [...this.checkParameters(route.op, params, url.searchParams), ...(isRepositoryRead ? [] : this.checkAuth(req))];
    if (text) {
      try {
        record.body = JSON.parse(text);
      } catch {
        errors.push('body is not JSON');
      }
    }
    if (route.validateBody) {
      if (record.body === undefined && route.op.requestBody?.required) errors.push('request body is required');
      else if (record.body !== undefined && !route.validateBody(record.body)) {
        errors.push(...(route.validateBody.errors ?? []).map((e) => `body${e.instancePath}: ${e.message ?? 'invalid'}`));
      }
    }
    errors.push(...documentedLimits(route.op.operationId, record.body));
    if (errors.length > 0) {
      this.problems.push(`${route.op.operationId}: ${errors.join('; ')}`);
      return reply(422, { message: 'Validation Failed', errors });
    }
    if (this.apiFailure) return reply(this.apiFailure.status, this.apiFailure.body ?? { message: 'failure' }, this.apiFailure.headers);
    const token = bearerToken(req.headers.authorization);
    if (token !== undefined && this.options.token !== undefined && token !== this.options.token) {
      return reply(401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' });
    }
    if (isRepositoryRead) {
      const answer = this.answerRepositoryRead(route.op.operationId, params, url, token !== undefined);
      return reply(answer.status, answer.body, answer.headers);
    }
    if (params.owner !== undefined && (params.owner !== this.options.owner || params.repo !== this.options.repo)) {
      this.problems.push(`${route.op.operationId}: request for another repository, ${params.owner}/${params.repo}`);
      return reply(404, { message: 'Not Found' });
    }
    const answer = this.answer(route.op.operationId, params, url, record.body as Record<string, unknown> | undefined);
    reply(answer.status, answer.body, answer.headers);
  }

  private checkParameters(op: Operation, params: Record<string, string>, query: URLSearchParams): string[] {
    const errors: string[] = [];
    for (const p of op.parameters) {
      const value = p.in === 'path' ? params[p.name] : p.in === 'query' ? (query.get(p.name) ?? undefined) : undefined;
      if (value === undefined) {
        if (p.required && p.in !== 'header') errors.push(`missing ${p.in} parameter ${p.name}`);
        continue;
      }
      if (p.schema.type === 'integer' && !/^\d+$/.test(value))
        errors.push(`${p.in} parameter ${p.name} must be an integer, got "${value}"`);
      if (Array.isArray(p.schema.enum) && !p.schema.enum.includes(value))
        errors.push(`${p.in} parameter ${p.name} must be one of ${p.schema.enum.join(', ')}, got "${value}"`);
    }
    const known = new Set(op.parameters.filter((p) => p.in === 'query').map((p) => p.name));
    for (const name of query.keys()) if (!known.has(name)) errors.push(`unknown query parameter ${name}`);
    return errors;
  }

  private checkAuth(req: http.IncomingMessage): string[] {
    const auth = req.headers.authorization ?? '';
    return /^(token|bearer) \S+$/i.test(auth) ? [] : ['no token in the Authorization header'];
  }

  private answer(
    operationId: string,
    params: Record<string, string>,
    url: URL,
    body: Record<string, unknown> | undefined,
  ): { status: number; body: unknown; headers?: Record<string, string> } {
    const isWrite = operationId !== 'issues/list-comments' && operationId !== 'users/get-authenticated';
    if (isWrite && this.readOnly) return { status: 403, body: FORBIDDEN };
    switch (operationId) {
      case 'users/get-authenticated':
        if (this.identity.kind === 'installation') return { status: 403, body: FORBIDDEN };
        return { status: 200, body: { login: this.identity.login, id: 1, type: 'User', user_view_type: 'public' } };
      case 'issues/list-comments':
        return this.listComments(Number(params.issue_number), url);
      case 'issues/create-comment': {
        const comment = this.addComment(Number(params.issue_number), String(body?.body), this.botUser);
        return { status: 201, body: this.commentJson(comment) };
      }
      case 'issues/update-comment': {
        const comment = this.comments.find((c) => c.id === Number(params.comment_id));
        if (!comment) return { status: 404, body: { message: 'Not Found' } };
        if (comment.user.login !== this.botUser.login) return { status: 403, body: { message: 'Must have admin rights to Repository.' } };
        comment.body = String(body?.body);
        comment.updated_at = new Date().toISOString();
        return { status: 200, body: this.commentJson(comment) };
      }
      case 'checks/create': {
        if (this.identity.kind === 'user') return { status: 403, body: { message: 'You must authenticate via a GitHub App.' } };
        const run: StoredCheckRun = {
          id: this.nextId++,
          name: String(body?.name),
          head_sha: String(body?.head_sha),
          status: typeof body?.status === 'string' ? body.status : 'queued',
          conclusion: typeof body?.conclusion === 'string' ? body.conclusion : null,
          ...(typeof body?.details_url === 'string' ? { details_url: body.details_url } : {}),
          ...(typeof body?.external_id === 'string' ? { external_id: body.external_id } : {}),
          output: {},
          annotations: [],
          updates: 0,
        };
        this.applyCheckOutput(run, body?.output);
        this.checkRuns.set(run.id, run);
        return { status: 201, body: this.checkRunJson(run) };
      }
      case 'checks/update': {
        const run = this.checkRuns.get(Number(params.check_run_id));
        if (!run) return { status: 404, body: { message: 'Not Found' } };
        run.updates += 1;
        if (typeof body?.status === 'string') run.status = body.status;
        if (typeof body?.conclusion === 'string') {
          run.conclusion = body.conclusion;
          run.status = 'completed';
        }
        this.applyCheckOutput(run, body?.output);
        return { status: 200, body: this.checkRunJson(run) };
      }
      default:
        this.problems.push(`no answer implemented for ${operationId}`);
        return { status: 500, body: { message: 'not implemented' } };
    }
  }

  /** A repository's lookup and activity: public ones to anyone, private ones only with the token (else 404, as GitHub). */
  private answerRepositoryRead(
    operationId: string,
    params: Record<string, string>,
    url: URL,
    authenticated: boolean,
  ): { status: number; body: unknown; headers?: Record<string, string> } {
    const repository = this.repositories.get(`${params.owner}/${params.repo}`.toLowerCase());
    if (!repository || (repository.private && !authenticated)) {
      return {
        status: 404,
        body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest/repos/repos#get-a-repository', status: '404' },
      };
    }
    if (operationId === 'repos/get') return { status: 200, body: this.repositoryJson(repository) };
    return this.listActivities(repository, url);
  }

  private listActivities(repository: FakeRepository, url: URL): { status: number; body: unknown; headers: Record<string, string> } {
    const query = url.searchParams;
    const perPage = Math.min(100, Number(query.get('per_page') ?? this.options.defaultPerPage ?? 30));
    const ref = query.get('ref');
    const wantedRef = ref === null ? undefined : ref.startsWith('refs/') ? ref : `refs/heads/${ref}`;
    const type = query.get('activity_type');
    const ascending = query.get('direction') === 'asc';
    const all = repository.activities
      .map((activity, index) => ({ activity, index }))
      .filter(
        ({ activity }) => (wantedRef === undefined || activity.ref === wantedRef) && (type === null || activity.activity_type === type),
      )
      .sort((a, b) => Date.parse(b.activity.timestamp) - Date.parse(a.activity.timestamp) || b.index - a.index);
    if (ascending) all.reverse();
    const cursor = query.get('after');
    const start = cursor === null ? 0 : Number(/^cursor:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString())?.[1] ?? NaN);
    if (!Number.isInteger(start)) return { status: 422, body: { message: 'Invalid cursor' }, headers: {} };
    const slice = all.slice(start, start + perPage);
    const headers: Record<string, string> = {};
    if (start + perPage < all.length) {
      const next = new URL(url);
      next.searchParams.set('per_page', String(perPage));
      next.searchParams.set('after', Buffer.from(`cursor:${start + perPage}`).toString('base64url'));
      headers.link = `<${next.href}>; rel="next"`;
    }
    const body = slice.map(({ activity, index }) => ({
      id: 9000 + index,
      node_id: `RA_${index}`,
      before: activity.before,
      after: activity.after,
      ref: activity.ref,
      timestamp: activity.timestamp,
      activity_type: activity.activity_type,
      actor: { login: activity.actor ?? repository.owner, id: 1, node_id: 'U_1', type: 'User' },
    }));
    return { status: 200, body, headers };
  }

  private repositoryJson(r: FakeRepository): Record<string, unknown> {
    return {
      id: 1296269,
      node_id: 'R_1',
      name: r.name,
      full_name: `${r.owner}/${r.name}`,
      owner: { login: r.owner, id: 1, node_id: 'U_1', type: 'Organization' },
      private: r.private,
      visibility: r.private ? 'private' : 'public',
      html_url: `${this.url}/${r.owner}/${r.name}`,
      clone_url: `${this.url}/${r.owner}/${r.name}.git`,
      default_branch: r.defaultBranch,
    };
  }

  /**
   * Git's smart HTTP through `git http-backend`, reads only. Like GitHub, a request without
   * valid credentials for a private or unknown repository gets 401 (git then gives up: it
   * may not prompt), and a valid one for an unknown repository 404.
   */
  private serveGit(req: http.IncomingMessage, res: http.ServerResponse, parts: GitPathParts, url: URL, record: RecordedRequest): void {
    const reply = (status: number, text: string, headers: Record<string, string> = {}) => {
      record.status = status;
      req.resume();
      res.writeHead(status, { 'content-type': 'text/plain', ...headers }).end(text);
    };
    const repository = this.repositories.get(`${parts.owner}/${parts.name}`.toLowerCase());
    const password = basicPassword(req.headers.authorization);
    const valid = password !== undefined && password !== '' && (this.options.token === undefined || password === this.options.token);
    if (password !== undefined && !valid) return reply(401, 'Invalid username or token.', GIT_CHALLENGE);
    if (!repository || (repository.private && !valid)) {
      return valid ? reply(404, 'Repository not found.') : reply(401, 'Authentication required.', GIT_CHALLENGE);
    }
    const service = parts.rest === '/info/refs' ? url.searchParams.get('service') : parts.rest.slice(1);
    if (service !== 'git-upload-pack') return reply(403, 'Only reads are served here.');

    const root = path.dirname(repository.bareDir);
    const config = { 'uploadpack.allowFilter': 'true', 'uploadpack.allowAnySHA1InWant': 'true' };
    const header = (name: string) => (typeof req.headers[name] === 'string' ? (req.headers[name] as string) : undefined);
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: tmpdir(),
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_PROJECT_ROOT: root,
      GIT_HTTP_EXPORT_ALL: '1',
      PATH_INFO: `/${path.basename(repository.bareDir)}${parts.rest}`,
      QUERY_STRING: url.search.slice(1),
      REQUEST_METHOD: req.method ?? 'GET',
      CONTENT_TYPE: header('content-type') ?? '',
      REMOTE_ADDR: '127.0.0.1',
      ...(header('content-length') ? { CONTENT_LENGTH: header('content-length')! } : {}),
      ...(header('content-encoding') ? { HTTP_CONTENT_ENCODING: header('content-encoding')! } : {}),
      ...(header('git-protocol') ? { GIT_PROTOCOL: header('git-protocol')! } : {}),
      GIT_CONFIG_COUNT: String(Object.keys(config).length),
      ...Object.fromEntries(
        Object.entries(config).flatMap(([key, value], i) => [
          [`GIT_CONFIG_KEY_${i}`, key],
          [`GIT_CONFIG_VALUE_${i}`, value],
        ]),
      ),
    };
    const child = spawn('git', ['http-backend'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (err) => {
      this.problems.push(`git http-backend could not start: ${err.message}`);
      if (!res.headersSent) reply(500, 'git http-backend could not start');
    });
    child.stdin.on('error', () => {}); // The backend may answer before reading the whole request.
    req.pipe(child.stdin);
    let head = Buffer.alloc(0);
    let headersDone = false;
    child.stdout.on('data', (chunk: Buffer) => {
      if (headersDone) {
        res.write(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      headersDone = true;
      const cgi = parseCgiHeaders(head.subarray(0, end).toString('latin1'));
      record.status = cgi.status;
      res.writeHead(cgi.status, cgi.headers);
      res.write(head.subarray(end + 4));
    });
    child.on('close', (code) => {
      if (!headersDone) {
        this.problems.push(`git http-backend answered nothing (exit ${code}): ${stderr.trim()}`);
        if (!res.headersSent) reply(500, 'git http-backend failed');
        else res.end();
        return;
      }
      res.end();
    });
  }

  private listComments(issueNumber: number, url: URL): { status: number; body: unknown; headers: Record<string, string> } {
    const perPage = Math.min(100, Number(url.searchParams.get('per_page') ?? this.options.defaultPerPage ?? 30));
    const page = Number(url.searchParams.get('page') ?? 1);
    const all = this.commentsOn(issueNumber);
    const slice = all.slice((page - 1) * perPage, page * perPage);
    const headers: Record<string, string> = {};
    if (page * perPage < all.length) {
      const next = new URL(url);
      next.searchParams.set('per_page', String(perPage));
      next.searchParams.set('page', String(page + 1));
      headers.link = `<${next.href}>; rel="next"`;
    }
    return { status: 200, body: slice.map((c) => this.commentJson(c)), headers };
  }

  private applyCheckOutput(run: StoredCheckRun, output: unknown): void {
    if (!output || typeof output !== 'object') return;
    const { annotations, ...rest } = output as { annotations?: Record<string, unknown>[] };
    run.output = { ...run.output, ...rest };
    // GitHub appends the annotations of every request to the run's list.
    if (Array.isArray(annotations)) run.annotations.push(...annotations);
  }

  private commentJson(c: StoredComment): Record<string, unknown> {
    const base = `${this.url}/repos/${this.options.owner}/${this.options.repo}`;
    return {
      id: c.id,
      node_id: `IC_${c.id}`,
      url: `${base}/issues/comments/${c.id}`,
      html_url: `https://github.com/${this.options.owner}/${this.options.repo}/pull/${c.issue_number}#issuecomment-${c.id}`,
      issue_url: `${base}/issues/${c.issue_number}`,
      body: c.body,
      user: { ...c.user, node_id: `U_${c.user.id}`, url: '', html_url: '' },
      created_at: c.created_at,
      updated_at: c.updated_at,
      author_association: 'NONE',
    };
  }

  private checkRunJson(run: StoredCheckRun): Record<string, unknown> {
    return {
      id: run.id,
      head_sha: run.head_sha,
      node_id: `CR_${run.id}`,
      external_id: run.external_id ?? '',
      url: `${this.url}/repos/${this.options.owner}/${this.options.repo}/check-runs/${run.id}`,
      details_url: run.details_url ?? null,
      status: run.status,
      conclusion: run.conclusion,
      name: run.name,
      output: {
        title: run.output.title ?? null,
        summary: run.output.summary ?? null,
        text: null,
        annotations_count: run.annotations.length,
        annotations_url: '',
      },
      app: this.identity.kind === 'installation' ? { id: 15368, slug: this.identity.appSlug, name: 'GitHub Actions' } : null,
      pull_requests: [],
    };
  }
}

/** Paths git's smart HTTP uses (reads and writes), on the server's root. */
const GIT_PATH = /^\/(?<owner>[^/]+)\/(?<name>[^/]+?)\.git(?<rest>\/info\/refs|\/git-upload-pack|\/git-receive-pack)$/;
interface GitPathParts {
  owner: string;
  name: string;
  rest: string;
}
/** Tells git that credentials are needed; with prompts off, it gives up instead of asking. */
const GIT_CHALLENGE = { 'www-authenticate': 'Basic realm="GitHub"' };
/** Reads that need no token (public repositories); others need one. */
const REPOSITORY_READS = new Set(['repos/get', 'repos/list-activities']);

function bearerToken(authorization: string | undefined): string | undefined {
  return /^(?:token|bearer) (\S+)$/i.exec(authorization ?? '')?.[1];
}

/** The password of a Basic Authorization header (git sends the token as one). */
function basicPassword(authorization: string | undefined): string | undefined {
  const encoded = /^basic (\S+)$/i.exec(authorization ?? '')?.[1];
  if (encoded === undefined) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  return decoded.includes(':') ? decoded.slice(decoded.indexOf(':') + 1) : '';
}

function parseCgiHeaders(text: string): { status: number; headers: Record<string, string> } {
  let status = 200;
  const headers: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'status') status = Number.parseInt(value, 10) || 500;
    else headers[name] = value;
  }
  return { status, headers };
}

/** Limits GitHub documents but its REST description does not encode. */
function documentedLimits(operationId: string, body: unknown): string[] {
  if ((operationId === 'issues/create-comment' || operationId === 'issues/update-comment') && body && typeof body === 'object') {
    const text = (body as { body?: unknown }).body;
    if (typeof text === 'string' && text.length > MAX_COMMENT_BODY)
      return [`comment body is ${text.length} characters, over ${MAX_COMMENT_BODY}`];
  }
  return [];
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}
