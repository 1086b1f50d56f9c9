/**
 * What probes tell a student, in both languages: the same situations give the English the
 * grader has always written, and inside a Korean grading Korean sentences that keep every
 * technical token (ports, paths, status codes, Dockerfile keywords, durations) as it is.
 */
import http from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withLocale } from '../../src/basics/i18n/catalogue.js';
import { headForDisplay, tailForDisplay } from '../../src/probes/display.js';
import { parseDockerfile } from '../../src/probes/dockerfile/model.js';
import { buildProbe } from '../../src/probes/kinds/build.js';
import { dockerfileProbe } from '../../src/probes/kinds/dockerfile.js';
import { execProbe } from '../../src/probes/kinds/exec.js';
import { fileProbe } from '../../src/probes/kinds/file.js';
import { httpProbe } from '../../src/probes/kinds/http.js';
import { imageProbe } from '../../src/probes/kinds/image.js';
import { logsProbe } from '../../src/probes/kinds/logs.js';
import { runProbe } from '../../src/probes/kinds/run.js';
import { stopProbe } from '../../src/probes/kinds/stop.js';
import { tcpProbe } from '../../src/probes/kinds/tcp.js';
import type { ProbeOutcome } from '../../src/probes/probe.js';
import type {
  DockerfileSpec,
  ExecSpec,
  FileSpec,
  HttpSpec,
  ImageSpec,
  LogsSpec,
  RunSpec,
  StopSpec,
  TcpSpec,
} from '../../src/rubric/model.js';
import { captured, check, FakeEngine, fakeContext, imageInfo, processOutcome } from '../helpers/fake-engine.js';

/** What a report shows of an outcome. */
interface Shown {
  message: string;
  expected?: string;
  actual?: string;
}

interface Situation {
  name: string;
  run: () => Promise<Shown>;
  /** Exactly what the grader says in English. */
  english: Shown;
  /** Technical tokens that must appear, untranslated, in both languages. */
  tokens: string[];
}

const HANGUL = /[\uac00-\ud7a3]/;
/** Words of an English sentence that must not survive in a Korean one. */
const ENGLISH_WORDS = /\b(the|a|an|expected|got|but|is|does|not|was|line|port|exceeded|limit|killed|exited|found)\b/i;

function shown(outcome: ProbeOutcome): Shown {
  return {
    message: outcome.message,
    ...(outcome.expected !== undefined ? { expected: outcome.expected } : {}),
    ...(outcome.actual !== undefined ? { actual: outcome.actual } : {}),
  };
}

let server: http.Server;
let serverPort: number;
let closedPort: number;
let repoDir: string;

async function listen(s: http.Server): Promise<number> {
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return (s.address() as AddressInfo).port;
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/ping') res.end('pong');
    else if (req.url === '/json') res.setHeader('Content-Type', 'application/json').end('{"status":"ok","items":[{"id":1}]}');
    else if (req.url === '/redirect') res.writeHead(302, { Location: '/ping' }).end();
    else res.writeHead(404).end('nope');
  });
  serverPort = await listen(server);
  const closed = http.createServer();
  closedPort = await listen(closed);
  await new Promise((resolve) => closed.close(resolve));
  repoDir = await mkdtemp(path.join(os.tmpdir(), 'grader-probe-ko-'));
  await writeFile(path.join(repoDir, 'app.py'), 'app.run(host="127.0.0.1", port=5000)\n');
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(repoDir, { recursive: true, force: true });
});

/** A service whose container port 3000 is the test server and 5000 a closed port. */
function serviceEngine(): FakeEngine {
  const engine = new FakeEngine();
  engine.service.ports.set(3000, { host: '127.0.0.1', port: serverPort });
  engine.service.ports.set(5000, { host: '127.0.0.1', port: closedPort });
  return engine;
}

async function httpCheck(partial: Partial<HttpSpec>, engine = serviceEngine()): Promise<Shown> {
  const spec: HttpSpec = { kind: 'http', path: '/', method: 'GET', headers: {}, status: 200, responseHeaders: {}, ...partial };
  return shown(await httpProbe.run(check(spec), fakeContext(engine, { withService: true, defaultPort: 3000 })));
}

async function execCheck(spec: Partial<ExecSpec>, outcome: ReturnType<typeof processOutcome>): Promise<Shown> {
  const engine = new FakeEngine();
  engine.service.execHandler = () => outcome;
  const full: ExecSpec = { kind: 'exec', command: ['cat', '/app/VERSION'], exitCode: 0, ...spec };
  return shown(await execProbe.run(check(full), fakeContext(engine, { withService: true })));
}

async function dockerfileCheck(spec: Omit<DockerfileSpec, 'kind'>, text: string): Promise<Shown> {
  const ctx = fakeContext(new FakeEngine(), { dockerfile: parseDockerfile(text, 'Dockerfile') });
  return shown(await dockerfileProbe.run(check<DockerfileSpec>({ kind: 'dockerfile', ...spec }), ctx));
}

const situations: Situation[] = [
  {
    name: 'tcp: nothing listens, and the container has exited',
    run: async () => {
      const engine = serviceEngine();
      engine.service.exit = { exitCode: 1, oomKilled: false };
      return shown(await tcpProbe.run(check<TcpSpec>({ kind: 'tcp', port: 5000 }), fakeContext(engine, { withService: true })));
    },
    english: {
      message: 'nothing is listening on port 5000 (is the app bound to 0.0.0.0, not 127.0.0.1?); the container has exited (code 1)',
    },
    tokens: ['5000', '0.0.0.0', '127.0.0.1'],
  },
  {
    name: 'tcp: the port accepts',
    run: async () =>
      shown(await tcpProbe.run(check<TcpSpec>({ kind: 'tcp' }), fakeContext(serviceEngine(), { withService: true, defaultPort: 3000 }))),
    english: { message: 'port 3000 accepts connections' },
    tokens: ['3000'],
  },
  {
    name: 'http: refused, the container out of memory',
    run: async () => {
      const engine = serviceEngine();
      engine.service.exit = { exitCode: 137, oomKilled: true };
      return httpCheck({ port: 5000, path: '/health' }, engine);
    },
    english: {
      message:
        'GET /health: nothing is listening on port 5000 (is the app bound to 0.0.0.0, not 127.0.0.1?); the container ran out of memory and was killed',
      expected: 'status 200',
    },
    tokens: ['GET /health', '5000', '0.0.0.0'],
  },
  {
    name: 'http: passes',
    run: () => httpCheck({ path: '/ping' }),
    english: { message: 'GET /ping → 200', expected: 'status 200', actual: 'status 200' },
    tokens: ['GET /ping', '200'],
  },
  {
    name: 'http: the wrong status, and the body too',
    run: () => httpCheck({ path: '/missing', body: { contains: 'pong' } }),
    english: {
      message: 'GET /missing → 404 (expected 200); also the body does not contain "pong"',
      expected: 'status 200\nbody contains "pong"',
      actual: 'status 404\nbody "nope"',
    },
    tokens: ['GET /missing', '404', '200', '"pong"', '"nope"'],
  },
  {
    name: 'http: the right status, the wrong text',
    run: () => httpCheck({ path: '/ping', body: { equals: 'ping' }, responseHeaders: { 'X-App': { contains: 'grader' } } }),
    english: {
      message: 'GET /ping → 200, but the body is not equal to the expected text (line 1: expected "ping", got "pong"); no X-App header',
      expected: 'status 200\nbody equals "ping"\nheader X-App contains "grader"',
      actual: 'status 200\nheader X-App: (absent)\nbody "pong"',
    },
    tokens: ['GET /ping', '200', '"ping"', '"pong"', 'X-App'],
  },
  {
    name: 'http: the JSON differs',
    run: () => httpCheck({ path: '/json', json: { status: 'fine', items: [{ id: 2 }, { id: 3 }] } }),
    english: {
      message: 'GET /json → 200, but the JSON differs: $.status: expected "fine", got "ok"; $.items: expected at least 2 element(s), got 1',
      expected: 'status 200\nJSON containing {"status":"fine","items":[{"id":2},{"id":3}]}',
      actual: 'status 200\nbody "{\\"status\\":\\"ok\\",\\"items\\":[{\\"id\\":1}]}"',
    },
    tokens: ['$.status', '"fine"', '"ok"', '$.items', '2', '1'],
  },
  {
    name: 'http: a redirect is not followed',
    run: () => httpCheck({ path: '/redirect' }),
    english: {
      message: 'GET /redirect → 302 (expected 200); redirects are not followed (Location: /ping)',
      expected: 'status 200',
      actual: 'status 302',
    },
    tokens: ['GET /redirect', '302', '200', 'Location: /ping'],
  },
  {
    name: 'exec: the wrong exit code and output',
    run: () => execCheck({ stdout: { contains: '1.0' } }, processOutcome({ exitCode: 1, stderr: 'No such file' })),
    english: {
      message: 'cat /app/VERSION: exit code 1 (expected 0); stdout does not contain "1.0"',
      expected: 'exit code 0\nstdout contains "1.0"',
      actual: 'exit code 1',
    },
    tokens: ['cat /app/VERSION', '1', '0', 'stdout', '"1.0"'],
  },
  {
    name: 'exec: passes with its output',
    run: () => execCheck({ stdout: { equals: '1.0.0' } }, processOutcome({ stdout: '1.0.0\n' })),
    english: {
      message: 'cat /app/VERSION exited with 0, stdout equals "1.0.0"',
      expected: 'exit code 0\nstdout equals "1.0.0"',
      actual: 'exit code 0',
    },
    tokens: ['cat /app/VERSION', 'stdout', '"1.0.0"'],
  },
  {
    name: 'exec: the time limit, and the process limit on the way',
    run: () => execCheck({}, processOutcome({ exitCode: null, killedFor: 'time', pidsLimitHit: true })),
    english: {
      message:
        'cat /app/VERSION: time limit (10.0 s) exceeded; process limit reached (it tried to start more processes than allowed — a fork bomb?)',
      expected: 'exit code 0',
      actual: 'killed after the time limit',
    },
    tokens: ['cat /app/VERSION'],
  },
  {
    name: 'exec: out of memory, the output cut',
    run: () => {
      const outcome = processOutcome({ exitCode: 137, oomKilled: true });
      outcome.stdout = { ...captured('y\n'.repeat(10)), bytes: 3_000_000, truncated: true };
      return execCheck({}, outcome);
    },
    english: {
      message:
        'cat /app/VERSION: out of memory (killed by the memory limit); output limit: it printed 3.0 MB, only the first 1.0 MB per stream was kept',
      expected: 'exit code 0',
      actual: 'killed: out of memory',
    },
    tokens: ['cat /app/VERSION', '3.0 MB', '1.0 MB'],
  },
  {
    name: 'run: killed at the disk limit',
    run: async () => {
      const engine = new FakeEngine();
      engine.runHandler = () => processOutcome({ exitCode: 137, killedFor: 'disk' });
      const spec: RunSpec = { kind: 'run', args: ['--fill'], env: {}, exitCode: 0 };
      return shown(await runProbe.run(check(spec), fakeContext(engine, { withImage: true })));
    },
    english: {
      message: 'docker run IMAGE --fill: disk limit exceeded (it wrote too much inside the container and was killed)',
      expected: 'exit code 0',
      actual: 'killed: disk limit',
    },
    tokens: ['docker run IMAGE --fill'],
  },
  {
    name: 'stop: a shell-form CMD keeps SIGTERM from the app',
    run: async () => {
      const engine = new FakeEngine();
      engine.service.stopResult = { exitedInTime: false, elapsedMs: 2000, exit: { exitCode: 137, oomKilled: false } };
      const ctx = fakeContext(engine, {
        withService: true,
        dockerfile: parseDockerfile('FROM node:20-alpine\nCMD node server.js\n', 'Dockerfile'),
      });
      return shown(await stopProbe.run(check<StopSpec>({ kind: 'stop', withinMs: 2000 }), ctx));
    },
    english: {
      message:
        'still running 2.0 s after SIGTERM, so it was killed; CMD on line 2 is in shell form, so PID 1 is /bin/sh, which does not pass SIGTERM on to your app; use the JSON form',
      expected: 'exits within 2.0 s of SIGTERM',
      actual: 'did not exit in time (killed)',
    },
    tokens: ['SIGTERM', 'CMD', '2', 'PID 1', '/bin/sh', 'JSON'],
  },
  {
    name: 'stop: stops in time',
    run: async () => {
      const ctx = fakeContext(new FakeEngine(), { withService: true });
      return shown(await stopProbe.run(check<StopSpec>({ kind: 'stop', withinMs: 5000 }), ctx));
    },
    english: {
      message: 'stopped 120 ms after SIGTERM (exit code 0)',
      expected: 'exits within 5.0 s of SIGTERM',
      actual: 'exited after 120 ms',
    },
    tokens: ['SIGTERM', '120'],
  },
  {
    name: 'logs: no line matches',
    run: async () => {
      const engine = new FakeEngine();
      engine.service.logText = 'booting\n';
      return shown(
        await logsProbe.run(check<LogsSpec>({ kind: 'logs', matcher: { matches: 'ready' } }), fakeContext(engine, { withService: true })),
      );
    },
    english: { message: 'the logs does not match /ready/', expected: 'matches /ready/' },
    tokens: ['/ready/'],
  },
  {
    name: 'file: the repo file lacks the text',
    run: async () => {
      const spec: FileSpec = { kind: 'file', path: 'app.py', in: 'repo', content: { contains: '0.0.0.0' } };
      return shown(await fileProbe.run(check(spec), fakeContext(new FakeEngine(), { repoDir })));
    },
    english: { message: 'app.py does not contain "0.0.0.0"', expected: 'contains "0.0.0.0"' },
    tokens: ['app.py', '"0.0.0.0"'],
  },
  {
    name: 'file: the path in the image is a directory',
    run: async () => {
      const engine = new FakeEngine();
      engine.files.set('grader-test:latest:/app/data', { kind: 'other', type: 'directory' });
      const spec: FileSpec = { kind: 'file', path: '/app/data', in: 'image' };
      return shown(await fileProbe.run(check(spec), fakeContext(engine, { withImage: true })));
    },
    english: { message: '/app/data in the image is a directory, expected a regular file' },
    tokens: ['/app/data'],
  },
  {
    name: 'dockerfile: no instruction matches',
    run: () => dockerfileCheck({ instruction: 'EXPOSE', args: { contains: '8080' } }, 'FROM node:20-alpine\nEXPOSE 5000\n'),
    english: {
      message: 'no EXPOSE matches: the one on line 2 does not contain "8080"',
      expected: 'EXPOSE whose arguments contains "8080"',
      actual: 'line 2: EXPOSE 5000',
    },
    tokens: ['EXPOSE', '2', '"8080"', 'EXPOSE 5000'],
  },
  {
    name: 'dockerfile rule: exec form',
    run: () => dockerfileCheck({ rule: 'exec-form' }, 'FROM node:20-alpine\nCMD node server.js\n'),
    english: {
      message:
        'CMD on line 2 is in shell form, so /bin/sh runs as PID 1 and your app never receives SIGTERM; use the JSON form, e.g. CMD ["node","server.js"]',
    },
    tokens: ['CMD', '2', '/bin/sh', 'PID 1', 'SIGTERM', 'CMD ["node","server.js"]'],
  },
  {
    name: 'dockerfile rule: pinned base',
    run: () => dockerfileCheck({ rule: 'pinned-base' }, 'FROM node:latest\nFROM python\n'),
    english: {
      message: 'FROM node:latest uses `latest`, which changes under you; pin a version such as node:20-alpine (and 1 more FROM on line 2)',
    },
    tokens: ['FROM node:latest', '`latest`', 'node:20-alpine', '2'],
  },
  {
    name: 'dockerfile rule: non-root user',
    run: () => dockerfileCheck({ rule: 'non-root-user' }, 'FROM node:20-alpine\nUSER 0\n'),
    english: {
      message:
        'USER "0" on line 2 is uid 0, root: as the final stage\'s last USER it gives the app root power in the container; switch to an unprivileged user after the steps that need root',
    },
    tokens: ['USER "0"', '2', 'uid 0', 'root'],
  },
  {
    name: 'dockerfile rule: expose',
    run: () => dockerfileCheck({ rule: 'expose' }, 'FROM node:20-alpine\nCMD ["node", "server.js"]\n'),
    english: {
      message:
        'the final stage has no EXPOSE, so nobody reading the image knows which port the app listens on; add e.g. `EXPOSE 8080` with the port your app really uses',
    },
    tokens: ['EXPOSE', '`EXPOSE 8080`'],
  },
  {
    name: 'build: a step failed',
    run: async () => {
      const ctx = fakeContext(new FakeEngine(), {
        build: { ok: false, reason: 'failed', error: 'exit code: 1', failingStep: 'RUN npm ci', logTail: '', durationMs: 5000 },
        dockerfile: parseDockerfile('FROM node:20-alpine\nCOPY . .\nRUN npm ci\n', 'Dockerfile'),
      });
      return shown(await buildProbe.run(check({ kind: 'build' }), ctx));
    },
    english: { message: 'RUN npm ci (line 3) failed: exit code: 1' },
    tokens: ['RUN npm ci', '3'],
  },
  {
    name: 'build: built in time',
    run: async () => {
      const ctx = fakeContext(new FakeEngine(), { build: { ok: true, imageId: 'sha256:1', durationMs: 12_300, logTail: '' } });
      return shown(await buildProbe.run(check({ kind: 'build' }), ctx));
    },
    english: { message: 'the image built in 12.3 s' },
    tokens: ['12.3'],
  },
  {
    name: 'image: too large, root, the port not exposed',
    run: async () => {
      const engine = new FakeEngine();
      engine.images.set('grader-test:latest', imageInfo({ sizeBytes: 250_000_000, user: '', exposedPorts: [5000] }));
      const spec: ImageSpec = { kind: 'image', maxSizeBytes: 100_000_000, user: 'non-root', exposes: [8080] };
      return shown(await imageProbe.run(check(spec), fakeContext(engine, { withImage: true })));
    },
    english: {
      message:
        'the image is 250 MB, over the 100 MB limit (a slim/alpine base or a multi-stage build helps); the image runs as root (no USER set); set a non-root USER; port 8080 is not EXPOSEd (the image exposes 5000)',
      expected: 'size at most 100 MB\nuser not root\nexposes 8080',
      actual: 'size 250 MB\nuser root (no USER set)\nexposes 5000',
    },
    tokens: ['250 MB', '100 MB', 'root', 'USER', '8080', '5000', 'EXPOSE'],
  },
];

describe('probe messages in English', () => {
  it.each(situations.map((s) => [s.name, s] as const))('%s', async (_name, situation) => {
    const english = await situation.run();
    expect(english).toEqual(situation.english);
    for (const token of situation.tokens) expect(Object.values(english).join('\n')).toContain(token);
  });

  it('note cut output in English', () => {
    expect(headForDisplay('x'.repeat(5000), 4096)).toBe(`${'x'.repeat(4096)}\n… (cut, 5000 bytes in total)`);
    expect(tailForDisplay('x'.repeat(5000), 4096)).toBe(`… (earlier output cut, 5000 bytes in total)\n${'x'.repeat(4096)}`);
  });
});

describe('probe messages in a Korean grading', () => {
  it.each(situations.map((s) => [s.name, s] as const))('%s', async (_name, situation) => {
    const korean = await withLocale('ko', situation.run);
    // The same fields are shown: no sentence went missing or appeared.
    expect(Object.keys(korean).sort()).toEqual(Object.keys(situation.english).sort());
    for (const [field, text] of Object.entries(korean)) {
      expect(text, field).toMatch(HANGUL);
      expect(text, field).not.toMatch(ENGLISH_WORDS);
    }
    for (const token of situation.tokens) expect(Object.values(korean).join('\n')).toContain(token);
  });

  it('writes durations the Korean way', async () => {
    const stop = situations.find((s) => s.name.startsWith('stop: a shell-form'))!;
    const built = situations.find((s) => s.name === 'build: built in time')!;
    expect((await withLocale('ko', stop.run)).message).toContain('2초');
    expect((await withLocale('ko', built.run)).message).toContain('12.3초');
  });

  it('says the classic port mistake as the course does', async () => {
    const tcp = situations[0]!;
    expect((await withLocale('ko', tcp.run)).message).toBe(
      '5000번 포트에서 요청을 기다리는 프로그램이 없습니다. 앱이 127.0.0.1이 아니라 0.0.0.0에서 요청을 기다리는지 확인하세요. ' +
        '컨테이너가 이미 종료되었습니다(종료 코드 1)',
    );
  });

  it('notes cut output in Korean', () => {
    withLocale('ko', () => {
      expect(headForDisplay('x'.repeat(5000), 4096)).toBe(`${'x'.repeat(4096)}\n… (잘림, 전체 5000바이트)`);
      expect(tailForDisplay('x'.repeat(5000), 4096)).toBe(`… (앞부분 출력 잘림, 전체 5000바이트)\n${'x'.repeat(4096)}`);
    });
  });
});
