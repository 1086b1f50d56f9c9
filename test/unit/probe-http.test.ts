import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { httpProbe } from '../../src/probes/kinds/http.js';
import { timeLimitMs } from '../../src/probes/registry.js';
import type { HttpCase, HttpSpec } from '../../src/rubric/model.js';
import { check, FakeEngine, fakeContext } from '../helpers/fake-engine.js';

const CONTAINER_PORT = 3000;
/** Far deeper than the stack allows JSON.stringify to go. */
const DEEP = 100_000;
let server: http.Server;
let serverPort: number;
let engine: FakeEngine;

function spec(partial: Partial<HttpSpec>): HttpSpec {
  return { kind: 'http', path: '/', method: 'GET', headers: {}, status: 200, responseHeaders: {}, ...partial };
}

async function probe(partial: Partial<HttpSpec>, timeoutMs?: number) {
  const ctx = fakeContext(engine, { withService: true, defaultPort: CONTAINER_PORT, ...(timeoutMs !== undefined ? { timeoutMs } : {}) });
  return httpProbe.run(check(spec(partial)), ctx);
}

async function listen(s: http.Server): Promise<number> {
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return (s.address() as AddressInfo).port;
}

/** A local port that was just free: nothing listens there. */
async function closedPort(): Promise<number> {
  const s = http.createServer();
  const port = await listen(s);
  await new Promise((resolve) => s.close(resolve));
  return port;
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      switch (req.url) {
        case '/ping':
          res.setHeader('X-App', 'grader-test');
          res.setHeader('Content-Type', 'text/plain; charset=utf-8');
          res.end('pong');
          return;
        case '/redirect':
          res.writeHead(302, { Location: '/ping' }).end();
          return;
        case '/json':
          res.setHeader('Content-Type', 'application/json');
          res.end(JSON.stringify({ status: 'ok', data: { items: [{ id: 1, name: 'a' }] } }));
          return;
        case '/big':
          // Larger than the 1 MiB cap, written in pieces as a real app would.
          for (let i = 0; i < 40; i++) res.write('x'.repeat(64 * 1024));
          res.end();
          return;
        case '/echo':
          res.end(JSON.stringify({ method: req.method, token: req.headers['x-token'], body: Buffer.concat(chunks).toString() }));
          return;
        case '/deep':
          res.setHeader('Content-Type', 'application/json');
          res.end(`${'['.repeat(DEEP)}${']'.repeat(DEEP)}`);
          return;
        case '/deep-in-a-string':
          res.setHeader('Content-Type', 'application/json');
          res.end(JSON.stringify({ status: 'ok', note: `\\"${'['.repeat(DEEP)}` }));
          return;
        case '/hang':
          return; // never answers
        default:
          res.writeHead(404).end('not found');
      }
    });
  });
  serverPort = await listen(server);
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  engine = new FakeEngine();
  engine.service.ports.set(CONTAINER_PORT, { host: '127.0.0.1', port: serverPort });
});

describe('http probe', () => {
  it('passes on the expected status, body and headers (header names case-insensitive)', async () => {
    const outcome = await probe({ path: '/ping', body: { equals: 'pong' }, responseHeaders: { 'x-APP': { contains: 'grader' } } });
    expect(outcome).toMatchObject({ status: 'passed', message: 'GET /ping → 200', output: 'pong' });
  });

  it('reports a status mismatch plainly', async () => {
    const outcome = await probe({ path: '/nope' });
    expect(outcome.status).toBe('failed');
    expect(outcome.message).toBe('GET /nope → 404 (expected 200)');
    expect(outcome.expected).toContain('status 200');
    expect(outcome.actual).toContain('status 404');
  });

  it('accepts every status with `status: any`, but still checks the body', async () => {
    expect(await probe({ path: '/nope', status: 'any' })).toMatchObject({ status: 'passed', message: 'GET /nope → 404' });
    expect((await probe({ path: '/nope', status: 'any', body: { contains: 'pong' } })).status).toBe('failed');
  });

  it('does not follow redirects', async () => {
    const outcome = await probe({ path: '/redirect', body: { contains: 'pong' } });
    expect(outcome.status).toBe('failed');
    expect(outcome.message).toContain('GET /redirect → 302 (expected 200)');
    expect(outcome.message).toContain('redirects are not followed');
    expect((await probe({ path: '/redirect', status: 302 })).status).toBe('passed');
  });

  it('stops reading the body at 1 MiB and says so', async () => {
    const outcome = await probe({ path: '/big', body: { contains: 'x' } });
    expect(outcome.status).toBe('passed');
    expect(outcome.message).toContain('body cut at 1048576 bytes');
    expect(Buffer.byteLength(outcome.output!)).toBeLessThan(4200);
  });

  it('checks a JSON subset, naming the differing path', async () => {
    expect((await probe({ path: '/json', json: { status: 'ok', data: { items: [{ id: 1 }] } } })).status).toBe('passed');
    const outcome = await probe({ path: '/json', json: { data: { items: [{ id: 2 }] } } });
    expect(outcome.status).toBe('failed');
    expect(outcome.message).toContain('$.data.items[0].id: expected 2, got 1');
  });

  it('fails clearly when the body is not JSON', async () => {
    const outcome = await probe({ path: '/ping', json: { status: 'ok' } });
    expect(outcome.status).toBe('failed');
    expect(outcome.message).toContain('not valid JSON');
  });

  it('fails, rather than overflowing the stack, on JSON nested 100,000 levels deep', async () => {
    const outcome = await probe({ path: '/deep', json: { status: 'ok' } });
    expect(outcome).toMatchObject({
      status: 'failed',
      message: "GET /deep → 200, but the body's JSON is nested deeper than 1,000 levels, more than the grader reads",
    });
  });

  it('counts no bracket inside a JSON string as nesting', async () => {
    expect(await probe({ path: '/deep-in-a-string', json: { status: 'ok' } })).toMatchObject({ status: 'passed' });
    const outcome = await probe({ path: '/deep-in-a-string', json: { status: 'down' } });
    expect(outcome.message).toContain('$.status: expected "down", got "ok"');
  });

  it('fails on a missing or mismatched response header', async () => {
    const missing = await probe({ path: '/ping', responseHeaders: { 'X-Missing': { contains: 'a' } } });
    expect(missing.message).toContain('no X-Missing header');
    const wrong = await probe({ path: '/ping', responseHeaders: { 'Content-Type': { matches: '^application/json' } } });
    expect(wrong.status).toBe('failed');
    expect(wrong.message).toContain('header Content-Type does not match');
  });

  it('sends the method, headers and data', async () => {
    const outcome = await probe({
      path: '/echo',
      method: 'post',
      headers: { 'X-Token': 't0k' },
      data: '{"name":"김"}',
      json: { method: 'POST', token: 't0k', body: '{"name":"김"}' },
    });
    expect(outcome.status, outcome.message).toBe('passed');
  });

  it('explains a refused connection with the 0.0.0.0 hint', async () => {
    engine.service.ports.set(8080, { host: '127.0.0.1', port: await closedPort() });
    const outcome = await probe({ port: 8080 });
    expect(outcome.status).toBe('failed');
    expect(outcome.message).toBe('GET /: nothing is listening on port 8080 (is the app bound to 0.0.0.0, not 127.0.0.1?)');
  });

  it('mentions when the container has exited', async () => {
    engine.service.ports.set(CONTAINER_PORT, { host: '127.0.0.1', port: await closedPort() });
    engine.service.exit = { exitCode: 1, oomKilled: false };
    const outcome = await probe({});
    expect(outcome.message).toContain('the container has exited (code 1)');
  });

  it('times out on a server that never answers', async () => {
    const started = performance.now();
    const outcome = await probe({ path: '/hang' }, 300);
    expect(outcome.status).toBe('failed');
    expect(outcome.message).toBe('GET /hang: no response within 300 ms');
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it('fails without a port to talk to', async () => {
    const ctx = fakeContext(engine, { withService: true });
    const outcome = await httpProbe.run(check(spec({})), ctx);
    expect(outcome.status).toBe('failed');
    expect(outcome.message).toContain('no port');
  });

  it('is a service-stage probe with a 5 s default', () => {
    expect(httpProbe.stage(spec({}))).toBe('service');
    expect(httpProbe.defaultTimeoutMs).toBe(5000);
  });
});

describe('http probe with cases', () => {
  const request = (partial: Partial<HttpCase>): HttpCase => ({
    path: '/',
    method: 'GET',
    headers: {},
    status: 200,
    responseHeaders: {},
    ...partial,
  });

  async function probeCases(cases: HttpCase[], timeoutMs?: number) {
    const withCases: HttpSpec = { ...spec({}), cases };
    const ctx = fakeContext(engine, { withService: true, defaultPort: CONTAINER_PORT, ...(timeoutMs !== undefined ? { timeoutMs } : {}) });
    return httpProbe.run(check(withCases), ctx);
  }

  it('passes when every case does, naming each request', async () => {
    const outcome = await probeCases([
      request({ path: '/ping', body: { equals: 'pong' } }),
      request({ path: '/json', json: { status: 'ok' } }),
    ]);
    expect(outcome).toMatchObject({ status: 'passed', message: 'all 2 requests passed: GET /ping → 200; GET /json → 200' });
    expect(outcome.share).toBeUndefined();
    expect(outcome.expected).toBe('GET /ping: status 200, body equals "pong"\nGET /json: status 200, JSON containing {"status":"ok"}');
  });

  it('earns the share that passes and lists the failing cases', async () => {
    const outcome = await probeCases([
      request({ path: '/ping' }),
      request({ path: '/nope' }),
      request({ path: '/echo', method: 'POST', data: 'hi', json: { method: 'POST', body: 'bye' } }),
      request({ path: '/nope', status: 404 }),
    ]);
    expect(outcome.status).toBe('failed');
    expect(outcome.share).toEqual({ passed: 2, of: 4 });
    expect(outcome.message).toBe(
      '2 of 4 requests failed: GET /nope → 404 (expected 200); POST /echo → 200, but the JSON differs: $.body: expected "bye", got "hi"',
    );
    expect(outcome.actual?.split('\n')).toEqual([
      'GET /ping: status 200',
      'GET /nope: status 404',
      expect.stringMatching(/^POST \/echo: status 200, body /),
      'GET /nope: status 404',
    ]);
  });

  it('keeps going past a request nobody answers, each within its own time limit', async () => {
    const started = performance.now();
    // The check's limit covers both requests: each gets half, the `timeout` of one request.
    const outcome = await probeCases([request({ path: '/hang' }), request({ path: '/ping' })], 600);
    expect(outcome.status).toBe('failed');
    expect(outcome.share).toEqual({ passed: 1, of: 2 });
    expect(outcome.message).toBe('1 of 2 requests failed: GET /hang: no response within 300 ms');
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it('gives a check with cases one time limit per case', () => {
    const withCases = check<HttpSpec>({ ...spec({}), cases: [request({}), request({}), request({})] }, { timeoutMs: 2000 });
    expect(timeLimitMs(withCases)).toBe(6000);
    expect(timeLimitMs(check(spec({})))).toBe(5000);
  });

  it('uses each case’s own port', async () => {
    engine.service.ports.set(8080, { host: '127.0.0.1', port: await closedPort() });
    const outcome = await probeCases([request({ path: '/ping' }), request({ port: 8080 })]);
    expect(outcome.message).toBe(
      '1 of 2 requests failed: GET /: nothing is listening on port 8080 (is the app bound to 0.0.0.0, not 127.0.0.1?)',
    );
    expect(outcome.actual?.split('\n')[1]).toBe(outcome.message.replace('1 of 2 requests failed: ', ''));
  });
});
