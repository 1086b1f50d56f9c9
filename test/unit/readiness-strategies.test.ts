/**
 * Readiness strategies with a fake service: `log` (with `times`), `http`, `healthcheck`,
 * all of them together, the container exiting meanwhile, and the port found by listening
 * when neither the rubric nor the image names one.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { withLocale } from '../../src/basics/i18n/catalogue.js';
import { waitUntilReady, type Readiness } from '../../src/core/readiness.js';
import { startServiceAndWait } from '../../src/core/service-start.js';
import type { HealthState, ImageInfo, Service, ServiceRequest } from '../../src/engine/engine.js';
import type { Check, ReadyConfig, Rubric } from '../../src/rubric/model.js';
import { compilePattern } from '../../src/rubric/pattern.js';
import { FakeEngine, FakeService, check, imageInfo, testRubric } from '../helpers/fake-engine.js';

const servers: http.Server[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** An HTTP server on 127.0.0.1 answering every request with `status()`; counts the requests. */
async function statusServer(status: () => number): Promise<{ port: number; requests: () => number }> {
  let requests = 0;
  const server = http.createServer((_req, res) => {
    requests += 1;
    res.writeHead(status()).end('ok');
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, requests: () => requests };
}

/** A fake service whose container port `containerPort` is served by `hostPort` on 127.0.0.1. */
function serviceOn(containerPort: number, hostPort: number): FakeService {
  const service = new FakeService();
  service.ports.set(containerPort, { host: '127.0.0.1', port: hostPort });
  return service;
}

/** Polls until `condition` holds; fails the test after `limitMs`. */
async function until(condition: () => boolean, limitMs = 5_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition never held');
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** A promise, and whether it has settled yet. */
function tracked<T>(promise: Promise<T>): { promise: Promise<T>; settled: () => boolean } {
  let settled = false;
  void promise.finally(() => (settled = true));
  return { promise, settled: () => settled };
}

class RecordingEngine extends FakeEngine {
  readonly requests: ServiceRequest[] = [];
  override async startService(request: ServiceRequest): Promise<Service> {
    this.requests.push(request);
    return super.startService(request);
  }
}

function engineWith(service: FakeService, image: Partial<ImageInfo> = {}): { engine: RecordingEngine; image: ImageInfo } {
  const engine = new RecordingEngine();
  engine.service = service;
  return { engine, image: imageInfo(image) };
}

function rubricWith(ready: Partial<ReadyConfig>, partial: Partial<Rubric> = {}): Rubric {
  return testRubric({
    service: { env: {}, port: 8080, ready: { timeoutMs: 5_000, ...ready } },
    checks: [check({ kind: 'tcp' })],
    ...partial,
  });
}

const start = (engine: FakeEngine, image: ImageInfo, rubric: Rubric) =>
  startServiceAndWait(engine, image, rubric, {}, new AbortController().signal);

describe('all of: log and http together', () => {
  it('is not ready on the log line alone, and is once the endpoint answers too', async () => {
    let status = 503;
    const server = await statusServer(() => status);
    const service = serviceOn(8080, server.port);
    const wait = tracked(
      waitUntilReady(service, {
        port: 8080,
        log: { pattern: compilePattern('^ready$') },
        http: { path: '/health', status: 200 },
        timeoutMs: 10_000,
      }),
    );
    service.printLine('ready');
    // A second request means the first one's 503 came back, after the log line.
    await until(() => server.requests() >= 2);
    expect(wait.settled()).toBe(false);
    status = 200;
    expect(await wait.promise).toMatchObject({ ready: true, port: 8080 });
  });

  it('is not ready on the endpoint alone: the log line is still waited for', async () => {
    const server = await statusServer(() => 200);
    const service = serviceOn(8080, server.port);
    const readiness = await waitUntilReady(service, {
      port: 8080,
      log: { pattern: compilePattern('^ready$') },
      http: { path: '/health', status: 200 },
      timeoutMs: 400,
    });
    expect(readiness).toMatchObject({ ready: false, reason: 'timeout', unmet: [{ kind: 'log', pattern: '^ready$', seen: 0, times: 1 }] });
    expect(server.requests()).toBe(1);
  });

  it('at the deadline names only what still did not hold, with the last status seen', async () => {
    const server = await statusServer(() => 503);
    const service = serviceOn(8080, server.port);
    service.logText = 'ready\n';
    const readiness = await waitUntilReady(service, {
      port: 8080,
      log: { pattern: compilePattern('^ready$') },
      http: { path: '/health', status: 200 },
      timeoutMs: 400,
    });
    expect(readiness).toMatchObject({
      ready: false,
      reason: 'timeout',
      unmet: [{ kind: 'http', port: 8080, path: '/health', status: 200, lastStatus: 503 }],
    });
  });
});

describe('http', () => {
  it('waits until the endpoint answers with the status asked for', async () => {
    let calls = 0;
    const server = await statusServer(() => (++calls <= 3 ? 503 : 204));
    const service = serviceOn(8080, server.port);
    const readiness = await waitUntilReady(service, { port: 8080, http: { path: '/', status: 204 }, timeoutMs: 10_000 });
    expect(readiness.ready).toBe(true);
    expect(server.requests()).toBe(4);
  });

  it('tells the student which request never got the status, in English and Korean', async () => {
    const server = await statusServer(() => 500);
    const { engine, image } = engineWith(serviceOn(8080, server.port));
    const rubric = rubricWith({ timeoutMs: 500, http: { path: '/health', status: 200 } });
    const en = await start(engine, image, rubric);
    expect(en).toMatchObject({
      ready: false,
      message: 'the service never became ready within 500 ms: GET /health never answered with status 200 (the last answer was 500)',
    });
    const ko = await withLocale('ko', () => start(engine, image, rubric));
    expect(ko).toMatchObject({
      ready: false,
      message: '500ms 안에 서비스가 준비되지 않았습니다: GET /health 요청에 상태 코드 200 응답이 오지 않았습니다(마지막 응답: 500)',
    });
  });

  it('says when nothing answered at all', async () => {
    const { engine, image } = engineWith(new FakeService());
    const start_ = await start(engine, image, rubricWith({ timeoutMs: 300, http: { path: '/', status: 200 } }));
    expect(start_).toMatchObject({
      ready: false,
      message: 'the service never became ready within 300 ms: GET / on port 8080 never got an answer (waiting for status 200)',
    });
  });
});

describe('log times', () => {
  it('counts the lines already printed and those that come, each line once', async () => {
    const service = new FakeService();
    service.logText = 'worker up\nbooting\n';
    const wait = tracked(waitUntilReady(service, { log: { pattern: compilePattern('worker up'), times: 3 }, timeoutMs: 10_000 }));
    service.printLine('worker up');
    await new Promise((resolve) => setImmediate(resolve));
    expect(wait.settled()).toBe(false);
    service.printLine('worker up again');
    expect((await wait.promise).ready).toBe(true);
  });

  it('does not count a line of the log that has not ended yet', async () => {
    const service = new FakeService();
    service.logText = 'worker up\nworker u';
    const readiness = await waitUntilReady(service, { log: { pattern: compilePattern('worker u'), times: 2 }, timeoutMs: 300 });
    expect(readiness).toMatchObject({ ready: false, reason: 'timeout', unmet: [{ kind: 'log', seen: 1, times: 2 }] });
  });

  it('says how many lines matched of how many', async () => {
    const service = new FakeService();
    service.logText = 'worker up\n';
    const { engine, image } = engineWith(service);
    const rubric = rubricWith({ timeoutMs: 300, log: 'worker up', logTimes: 2 });
    expect(await start(engine, image, rubric)).toMatchObject({
      message: 'the service never became ready within 300 ms: only 1 log line matched /worker up/ (2 needed)',
    });
    service.logText = '';
    expect(await start(engine, image, rubric)).toMatchObject({
      message: 'the service never became ready within 300 ms: no log line matched /worker up/ (2 needed)',
    });
    expect(await withLocale('ko', () => start(engine, image, rubric))).toMatchObject({
      message: '300ms 안에 서비스가 준비되지 않았습니다: 로그에 /worker up/에 맞는 줄이 2번 나와야 하는데 0번 나왔습니다',
    });
  });
});

describe('healthcheck', () => {
  it('asks the engine to run the image’s HEALTHCHECK, and is ready once it says healthy', async () => {
    const service = new FakeService();
    const states: HealthState[] = [{ status: 'starting' }, { status: 'unhealthy', last: { exitCode: 1, output: '' } }];
    service.healthState = () => states.shift() ?? { status: 'healthy', last: { exitCode: 0, output: '' } };
    const { engine, image } = engineWith(service, { healthcheck: true });
    const started = await start(engine, image, rubricWith({ healthcheck: true }));
    expect(started.ready).toBe(true);
    expect(states).toEqual([]); // it did go through starting and unhealthy first
    expect(engine.requests[0]).toMatchObject({ healthcheck: true });
  });

  it('fails at once, without starting anything, when the image has no HEALTHCHECK', async () => {
    const { engine, image } = engineWith(new FakeService(), { healthcheck: false });
    const started = await start(engine, image, rubricWith({ healthcheck: true }));
    expect(started).toEqual({
      ready: false,
      message:
        "the rubric waits for the image's HEALTHCHECK to report healthy, but the image has no HEALTHCHECK: add one to the Dockerfile, such as `HEALTHCHECK CMD wget -q -O /dev/null http://localhost:8080/ || exit 1`",
    });
    expect(engine.requests).toEqual([]);
  });

  it('stops waiting when the container runs no health check after all', async () => {
    const service = new FakeService();
    service.healthState = { status: 'none' };
    const readiness = await waitUntilReady(service, { healthcheck: true, timeoutMs: 10_000 });
    expect(readiness).toMatchObject({ ready: false, reason: 'no-healthcheck' });
    expect(readiness.elapsedMs).toBeLessThan(5_000);
  });

  it('quotes the last failing run of the check, on one line, when it never turns healthy', async () => {
    const service = new FakeService();
    service.healthState = { status: 'unhealthy', last: { exitCode: 127, output: '/bin/sh: curl:\nnot found\n' } };
    const { engine, image } = engineWith(service, { healthcheck: true });
    expect(await start(engine, image, rubricWith({ timeoutMs: 600, healthcheck: true }))).toMatchObject({
      message:
        "the service never became ready within 600 ms: the image's HEALTHCHECK never reported healthy (its last run exited with code 127: /bin/sh: curl: not found)",
    });
    service.healthState = { status: 'starting' };
    expect(await start(engine, image, rubricWith({ timeoutMs: 300, healthcheck: true }))).toMatchObject({
      message: "the service never became ready within 300 ms: the image's HEALTHCHECK never reported healthy (it had not run yet)",
    });
  });
});

describe('the container exits while readiness waits', () => {
  it('stops waiting at once, whatever it waited for', async () => {
    const server = await statusServer(() => 503);
    const service = serviceOn(8080, server.port);
    service.healthState = { status: 'starting' };
    const wait = waitUntilReady(service, {
      port: 8080,
      http: { path: '/', status: 200 },
      log: { pattern: compilePattern('never'), times: 2 },
      healthcheck: true,
      timeoutMs: 30_000,
    });
    await until(() => server.requests() >= 2);
    service.exitWith({ exitCode: 3, oomKilled: false });
    const readiness: Readiness = await wait;
    expect(readiness).toMatchObject({ ready: false, reason: 'exited', exit: { exitCode: 3 } });
    expect(readiness.elapsedMs).toBeLessThan(5_000);
  });
});

describe('a port no one names', () => {
  const noPort = (checks: Check[] = [check({ kind: 'tcp' })]) => testRubric({ service: { env: {}, ready: { timeoutMs: 5_000 } }, checks });

  it('is found among the ports the app listens on, used, and told in a note', async () => {
    const server = await statusServer(() => 200);
    const service = serviceOn(8080, server.port);
    service.listening = [
      { port: 5353, loopback: true },
      { port: 8080, loopback: false },
    ];
    const { engine, image } = engineWith(service);
    const started = await start(engine, image, noPort());
    expect(started).toMatchObject({
      ready: true,
      port: 8080,
      note: 'the image EXPOSEs no port; the app listens on 8080, which was used: add `EXPOSE 8080`',
    });
    expect(engine.requests[0]?.ports).toEqual([]);
    const ko = await withLocale('ko', () => start(engine, image, noPort()));
    expect(ko).toMatchObject({
      note: '이미지가 EXPOSE한 포트가 없습니다. 앱이 8080번 포트에서 요청을 기다리고 있어 이 포트로 채점했습니다. Dockerfile에 `EXPOSE 8080` 줄을 추가하세요',
    });
  });

  it('is the lowest reachable one when the app listens on several, and the note names them all', async () => {
    const server = await statusServer(() => 200);
    const service = serviceOn(3000, server.port);
    service.listening = [
      { port: 3000, loopback: false },
      { port: 9090, loopback: false },
    ];
    const { engine, image } = engineWith(service);
    expect(await start(engine, image, noPort())).toMatchObject({
      ready: true,
      port: 3000,
      note: 'the image EXPOSEs no port; the app listens on 3000, 9090, and the lowest, 3000, was used: add `EXPOSE 3000`',
    });
  });

  it('is waited for while the app listens nowhere yet', async () => {
    const server = await statusServer(() => 200);
    const service = serviceOn(8080, server.port);
    service.listening = [];
    const wait = tracked(waitUntilReady(service, { findPort: true, timeoutMs: 10_000 }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(wait.settled()).toBe(false);
    service.listening = [{ port: 8080, loopback: false }];
    expect(await wait.promise).toMatchObject({ ready: true, port: 8080, found: { port: 8080 } });
  });

  it('is told when the app listens only on 127.0.0.1', async () => {
    const service = new FakeService();
    service.listening = [{ port: 8080, loopback: true }];
    const readiness = await waitUntilReady(service, { findPort: true, unreachableAfterMs: 0, timeoutMs: 10_000 });
    expect(readiness).toMatchObject({ ready: false, reason: 'unreachable', listening: [{ port: 8080, loopback: true }] });
    expect(readiness).not.toHaveProperty('port');
  });

  it('gives the loopback diagnosis to the student', async () => {
    const service = new FakeService();
    service.listening = [{ port: 8080, loopback: true }];
    const { engine, image } = engineWith(service);
    const rubric = testRubric({ service: { env: {}, ready: { timeoutMs: 30_000 } }, checks: [check({ kind: 'tcp' })] });
    expect(await start(engine, image, rubric)).toMatchObject({
      ready: false,
      message:
        'the service is not reachable: the app listens on port 8080 only on 127.0.0.1 (localhost), which nothing outside the container can reach; make it listen on 0.0.0.0',
    });
  }, 15_000);

  it('times out saying no port was ever found', async () => {
    const service = new FakeService();
    service.listening = [];
    const { engine, image } = engineWith(service);
    const rubric = testRubric({ service: { env: {}, ready: { timeoutMs: 300 } }, checks: [check({ kind: 'tcp' })] });
    expect(await start(engine, image, rubric)).toMatchObject({
      message:
        'the service never became ready within 300 ms: the image EXPOSEs no port, the rubric names none, and the app never listened on one',
    });
  });

  it('is not looked for when no check needs it, nor when the engine cannot tell', async () => {
    const service = new FakeService();
    service.listening = []; // it would be waited for, were it looked for
    const { engine, image } = engineWith(service);
    const logsOnly = testRubric({
      service: { env: {}, ready: { timeoutMs: 5_000 } },
      checks: [check({ kind: 'logs', matcher: { contains: 'x' } })],
    });
    expect(await start(engine, image, logsOnly)).toEqual({ ready: true, service });

    service.listening = undefined;
    expect(await start(engine, image, noPort())).toEqual({ ready: true, service });
  });

  it('is looked for by an http check case without a port, and by the http readiness', async () => {
    const server = await statusServer(() => 200);
    const service = serviceOn(8080, server.port);
    service.listening = [{ port: 8080, loopback: false }];
    const { engine, image } = engineWith(service);
    const cases = check({
      kind: 'http',
      path: '/',
      method: 'GET',
      headers: {},
      status: 200,
      responseHeaders: {},
      cases: [
        { path: '/a', port: 9000, method: 'GET', headers: {}, status: 200, responseHeaders: {} },
        { path: '/b', method: 'GET', headers: {}, status: 200, responseHeaders: {} },
      ],
    });
    expect(await start(engine, image, noPort([cases]))).toMatchObject({ ready: true, port: 8080 });
    expect(engine.requests.at(-1)?.ports).toEqual([9000]);

    const viaReadiness = testRubric({ service: { env: {}, ready: { timeoutMs: 5_000, http: { path: '/', status: 200 } } }, checks: [] });
    expect(await start(engine, image, viaReadiness)).toMatchObject({
      ready: true,
      port: 8080,
      note: expect.stringContaining('EXPOSE 8080'),
    });
  });
});
