import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDockerfile } from '../../src/probes/dockerfile/model.js';
import { execProbe } from '../../src/probes/kinds/exec.js';
import { logsProbe } from '../../src/probes/kinds/logs.js';
import { runProbe } from '../../src/probes/kinds/run.js';
import { stopProbe } from '../../src/probes/kinds/stop.js';
import { tcpProbe } from '../../src/probes/kinds/tcp.js';
import type { ExecSpec, LogsSpec, RunSpec, StopSpec, TcpSpec } from '../../src/rubric/model.js';
import { check, FakeEngine, fakeContext, processOutcome } from '../helpers/fake-engine.js';
import type { FakeService } from '../helpers/fake-engine.js';

describe('tcp probe', () => {
  let server: net.Server;
  let port: number;
  beforeAll(async () => {
    server = net.createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('passes when the port accepts, fails with the 0.0.0.0 hint when refused', async () => {
    const engine = new FakeEngine();
    engine.service.ports.set(8080, { host: '127.0.0.1', port });
    const ctx = fakeContext(engine, { withService: true, defaultPort: 8080 });
    expect(await tcpProbe.run(check<TcpSpec>({ kind: 'tcp' }), ctx)).toEqual({
      status: 'passed',
      message: 'port 8080 accepts connections',
    });

    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    engine.service.ports.set(5000, { host: '127.0.0.1', port: closedPort });
    const refused = await tcpProbe.run(check<TcpSpec>({ kind: 'tcp', port: 5000 }), ctx);
    expect(refused).toEqual({
      status: 'failed',
      message: 'nothing is listening on port 5000 (is the app bound to 0.0.0.0, not 127.0.0.1?)',
    });
  });
});

describe('exec probe', () => {
  function exec(spec: Partial<ExecSpec>, handler: FakeService['execHandler'], timeoutMs?: number) {
    const engine = new FakeEngine();
    engine.service.execHandler = handler;
    const ctx = fakeContext(engine, { withService: true, ...(timeoutMs ? { timeoutMs } : {}) });
    const outcome = execProbe.run(check<ExecSpec>({ kind: 'exec', command: ['cat', '/app/VERSION'], exitCode: 0, ...spec }), ctx);
    return { engine, outcome };
  }

  it('checks exit code and output, passing the time limit to the engine', async () => {
    const { engine, outcome } = exec({ stdout: { equals: '1.0.0' } }, () => processOutcome({ stdout: '1.0.0\n' }), 3000);
    expect((await outcome).status).toBe('passed');
    expect(engine.service.execCalls[0]!.options.timeoutMs).toBe(3000);
  });

  it('reports the wrong exit code and output with the command', async () => {
    const { outcome } = exec({ stdout: { contains: '1.0' } }, () =>
      processOutcome({ exitCode: 1, stderr: 'cat: /app/VERSION: No such file' }),
    );
    const result = await outcome;
    expect(result.status).toBe('failed');
    expect(result.message).toBe('cat /app/VERSION: exit code 1 (expected 0); stdout does not contain "1.0"');
    expect(result.output).toContain('No such file');
  });

  it('reports the time limit', async () => {
    const { outcome } = exec({}, () => processOutcome({ exitCode: null, killedFor: 'time' }));
    expect((await outcome).message).toBe('cat /app/VERSION: time limit (10.0 s) exceeded');
  });
});

describe('run probe', () => {
  it('starts a one-shot container with the context limits, labels and time limit', async () => {
    const engine = new FakeEngine();
    engine.runHandler = (req) => processOutcome({ stdout: `hello ${req.args.join(' ')} ${req.stdin ?? ''}` });
    const ctx = fakeContext(engine, { withImage: true, timeoutMs: 7_000 });
    const outcome = await runProbe.run(
      check<RunSpec>({
        kind: 'run',
        args: ['--name', 'Kim Lee'],
        stdin: 'in',
        env: { LANG: 'C' },
        exitCode: 0,
        stdout: { contains: 'hello --name Kim Lee in' },
      }),
      ctx,
    );
    expect(outcome.status, outcome.message).toBe('passed');
    expect(outcome.message).toContain(`docker run IMAGE --name 'Kim Lee'`);
    expect(engine.runCalls[0]).toMatchObject({
      image: 'grader-test:latest',
      env: { LANG: 'C' },
      limits: ctx.limits,
      labels: ctx.labels,
      timeoutMs: 7_000,
    });
  });

  it('reports out of memory and stderr mismatches', async () => {
    const engine = new FakeEngine();
    engine.runHandler = () => processOutcome({ exitCode: 137, oomKilled: true });
    const ctx = fakeContext(engine, { withImage: true });
    const spec: RunSpec = { kind: 'run', args: [], env: {}, exitCode: 0 };
    expect((await runProbe.run(check(spec), ctx)).message).toContain('out of memory');
    engine.runHandler = () => processOutcome({ exitCode: 2, stderr: 'usage: app NAME' });
    const usage = await runProbe.run(check({ ...spec, exitCode: 2, stderr: { matches: '^usage:' } }), ctx);
    expect(usage.status).toBe('passed');
  });

  it('names the disk limit, the process limit and the output limit', async () => {
    const engine = new FakeEngine();
    const ctx = fakeContext(engine, { withImage: true });
    const spec: RunSpec = { kind: 'run', args: [], env: {}, exitCode: 0 };
    engine.runHandler = () => processOutcome({ exitCode: null, killedFor: 'disk' });
    expect(await runProbe.run(check(spec), ctx)).toMatchObject({
      status: 'failed',
      message: expect.stringContaining('disk limit exceeded'),
    });

    engine.runHandler = () => processOutcome({ exitCode: 1, pidsLimitHit: true });
    expect((await runProbe.run(check(spec), ctx)).message).toMatch(/exit code 1 \(expected 0\); process limit reached/);

    engine.runHandler = () => ({
      ...processOutcome({ stdout: 'y\n'.repeat(10) }),
      stdout: { text: 'y\n', bytes: 2_000_000_000, truncated: true },
    });
    expect((await runProbe.run(check(spec), ctx)).message).toMatch(
      /output limit: it printed 2\.0 GB, only the first 1\.0 MB per stream was kept/,
    );
  });
});

describe('logs probe', () => {
  it('matches the logs so far and shows their tail', async () => {
    const engine = new FakeEngine();
    engine.service.logText = 'booting\nServer listening on 0.0.0.0:3000\n';
    const ctx = fakeContext(engine, { withService: true });
    expect((await logsProbe.run(check<LogsSpec>({ kind: 'logs', matcher: { matches: 'listening on .*:3000' } }), ctx)).status).toBe(
      'passed',
    );
    const failed = await logsProbe.run(check<LogsSpec>({ kind: 'logs', matcher: { not_contains: 'listening' } }), ctx);
    expect(failed.status).toBe('failed');
    expect(failed.output).toContain('booting');
  });
});

describe('stop probe', () => {
  it('passes when the service exits in time, mentioning the exit code', async () => {
    const engine = new FakeEngine();
    const ctx = fakeContext(engine, { withService: true });
    const outcome = await stopProbe.run(check<StopSpec>({ kind: 'stop', withinMs: 5000 }), ctx);
    expect(outcome.status).toBe('passed');
    expect(outcome.message).toBe('stopped 120 ms after SIGTERM (exit code 0)');
    expect(engine.service.stopCalls).toEqual([5000]);
  });

  it('blames a shell-form CMD when SIGTERM is ignored', async () => {
    const engine = new FakeEngine();
    engine.service.stopResult = { exitedInTime: false, elapsedMs: 5000, exit: { exitCode: 137, oomKilled: false, killedFor: 'time' } };
    const dockerfile = parseDockerfile('FROM node:20\nWORKDIR /app\nCMD node app.js', 'Dockerfile');
    const outcome = await stopProbe.run(
      check<StopSpec>({ kind: 'stop', withinMs: 5000 }),
      fakeContext(engine, { withService: true, dockerfile }),
    );
    expect(outcome.status).toBe('failed');
    expect(outcome.message).toContain('CMD on line 3 is in shell form, so PID 1 is /bin/sh');
    expect(outcome.locations).toEqual([{ path: 'Dockerfile', line: 3 }]);
  });

  it('gives general advice when the start is already in exec form', async () => {
    const engine = new FakeEngine();
    engine.service.stopResult = { exitedInTime: false, elapsedMs: 5000, exit: { exitCode: 137, oomKilled: false, killedFor: 'time' } };
    const dockerfile = parseDockerfile('FROM node:20\nCMD node app.js\nENTRYPOINT ["node", "app.js"]', 'Dockerfile');
    const outcome = await stopProbe.run(
      check<StopSpec>({ kind: 'stop', withinMs: 2000 }),
      fakeContext(engine, { withService: true, dockerfile }),
    );
    expect(outcome.message).toContain('must handle SIGTERM');
    expect(outcome.locations).toBeUndefined();
  });

  it('fails when the container had already exited', async () => {
    const engine = new FakeEngine();
    engine.service.exit = { exitCode: 1, oomKilled: false };
    const outcome = await stopProbe.run(check<StopSpec>({ kind: 'stop', withinMs: 5000 }), fakeContext(engine, { withService: true }));
    expect(outcome.message).toContain('already exited (code 1)');
    expect(engine.service.stopCalls).toEqual([]);
  });
});
