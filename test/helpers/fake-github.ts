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
 */
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
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

export interface FakeGitHubOptions {
  owner: string;
  repo: string;
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

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
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
    const text = await readBody(req);
    const record: RecordedRequest = {
      method: req.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
      status: 0,
    };
    this.requests.push(record);
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      send(res, status, body, headers);
      for (const waiter of this.waiters.filter((w) => w.operationId === record.operationId)) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    };

    const route = this.routes.find((r) => r.op.method === record.method && r.pattern.test(url.pathname));
    if (!route) {
      this.problems.push(`unknown route: ${record.method} ${url.pathname}`);
      return reply(404, { message: 'Not Found' });
    }
    record.operationId = route.op.operationId;
    const params = route.pattern.exec(url.pathname)?.groups ?? {};
    const errors = [...this.checkParameters(route.op, params, url.searchParams), ...this.checkAuth(req)];
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
