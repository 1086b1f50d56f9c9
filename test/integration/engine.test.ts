/**
 * The dockerode ContainerEngine against the real Docker Engine, with tiny images built
 * FROM the local busybox:1.35 (scripts/base-images.sh makes it).
 */
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineUnavailableError } from '../../src/basics/errors.js';
import { createDockerEngine } from '../../src/engine/docker-engine.js';
import type { ContainerEngine, RuntimeLimits, Service, ServiceRequest } from '../../src/engine/engine.js';
import { CREATED_LABEL, RUN_LABEL, runLabels } from '../../src/engine/engine.js';
import {
  TEST_SESSION,
  buildTestImage,
  docker,
  engine as connectEngine,
  eventually,
  listLeftovers,
  removeTestImages,
} from '../helpers/docker.js';

const BASE = 'busybox:1.35';
const LIMITS: RuntimeLimits = { memoryBytes: 128 * 1024 ** 2, cpus: 1, pids: 64, network: 'none' };
const runId = `${TEST_SESSION}-engine`;
const labels = runLabels(runId);

let engine: ContainerEngine;
const services: Service[] = [];

beforeAll(async () => {
  engine = await connectEngine();
});

afterAll(async () => {
  await engine?.cleanup(runId);
  await removeTestImages();
});

async function service(request: Partial<ServiceRequest> & { command: string[] }): Promise<Service> {
  const started = await engine.startService({ image: BASE, env: {}, ports: [], limits: LIMITS, labels, ...request });
  services.push(started);
  return started;
}

async function httpGet(host: string, port: number, urlPath: string): Promise<string> {
  const response = await fetch(`http://${host}:${port}${urlPath}`, { signal: AbortSignal.timeout(5_000) });
  return response.text();
}

/** Polls until something accepts connections (the service's own startup time). */
async function waitForListener(host: string, port: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const connected = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host, port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (connected) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`nothing listens on ${host}:${port}`);
}

describe('ping', () => {
  it('describes the engine', async () => {
    const info = await engine.ping();
    expect(info.version).toMatch(/^\d+\.\d+/);
    expect(info.apiVersion).toMatch(/^1\.\d+$/);
    expect(info.operatingSystem).not.toBe('');
    // this machine: Engine 20.10 on Linux, containers routable from the host
    expect(info.buildkit).toBe(true);
    expect(info.desktop).toBe(false);
  });

  it('names the socket and says the engine is not running when nothing is there', async () => {
    const socketPath = path.join(tmpdir(), `grader-no-engine-${randomBytes(4).toString('hex')}.sock`);
    const error = await createDockerEngine({ socketPath })
      .ping()
      .catch((err: unknown) => err);
    expect(error).toBeInstanceOf(EngineUnavailableError);
    expect((error as Error).message).toContain(`unix://${socketPath}`);
    expect((error as Error).message).toMatch(/not running/);
    expect((error as Error).message).toMatch(/Start Docker/);
  });

  it('gives up on an engine that accepts connections but never answers', async () => {
    const socketPath = path.join(tmpdir(), `grader-hung-engine-${randomBytes(4).toString('hex')}.sock`);
    const sockets: net.Socket[] = [];
    const hung = net.createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => hung.listen(socketPath, resolve));
    try {
      const started = Date.now();
      const error = await createDockerEngine({ socketPath, pingTimeoutMs: 300 })
        .ping()
        .catch((err: unknown) => err);
      expect(error).toBeInstanceOf(EngineUnavailableError);
      expect((error as Error).message).toMatch(/timed out/);
      // Under the 5 s default, which would apply had the option been ignored.
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => hung.close(resolve));
      await rm(socketPath, { force: true });
    }
  });

  it('reports other calls to a missing engine as EngineUnavailableError too', async () => {
    const gone = createDockerEngine({ socketPath: path.join(tmpdir(), 'grader-missing.sock') });
    await expect(gone.inspectImage(BASE)).rejects.toBeInstanceOf(EngineUnavailableError);
    await expect(gone.cleanup('nothing')).rejects.toBeInstanceOf(EngineUnavailableError);
  });
});

describe('service', () => {
  const HTTPD = ['sh', '-c', 'mkdir -p /www && echo hello > /www/index.html && echo "listening now" && exec httpd -f -p 8080 -h /www'];

  it('is reachable from the host on a port the image never EXPOSEd, and its log lines reach listeners', async () => {
    const started = Date.now();
    const svc = await service({ command: HTTPD, ports: [8080] });
    const heard = new Promise<string>((resolve) => {
      const stop = svc.onLogLine((line) => {
        stop();
        resolve(line);
      });
    });
    const { host, port } = await svc.address(8080);
    expect(port).toBe(8080);
    await waitForListener(host, port);
    expect(await httpGet(host, port, '/index.html')).toBe('hello\n');
    // the line may have arrived before we subscribed: then it is in the captured log
    const line = svc.logs().text.includes('listening now') ? 'listening now' : await heard;
    expect(line).toBe('listening now');
    expect(svc.logs().text).toBe('listening now\n');
    expect(svc.exitInfo()).toBeUndefined();
    console.log(`service start to first answer: ${Date.now() - started} ms`);
  });

  it('sits on an internal network: the host reaches it, it reaches nothing outside its network', async () => {
    // a listener in another container, on the default bridge: reachable only by forwarding
    const listener = await docker(
      'run',
      '-d',
      '--rm',
      '--label',
      `${RUN_LABEL}=${runId}`,
      BASE,
      'sh',
      '-c',
      'echo x > /i; exec httpd -f -p 7777 -h /',
    );
    const listenerIp = await docker('inspect', '-f', '{{.NetworkSettings.IPAddress}}', listener);
    await waitForListener(listenerIp, 7777);
    const svc = await service({ command: ['sleep', '60'] });

    const networks = JSON.parse(await docker('inspect', '-f', '{{json .NetworkSettings.Networks}}', svc.id)) as Record<string, unknown>;
    const [networkName] = Object.keys(networks);
    expect(await docker('network', 'inspect', '-f', '{{.Internal}}', networkName!)).toBe('true');

    const attempt = await svc.exec(['nc', '-w', '2', listenerIp, '7777'], { timeoutMs: 10_000 });
    expect(attempt.exitCode).not.toBe(0);
    expect(attempt.stderr.text).toMatch(/timed out|unreachable|refused/i);
    // the listener does answer a container on its own network: the failure above is the service's isolation
    const control = await engine.runOnce({
      image: BASE,
      args: ['nc', '-w', '2', listenerIp, '7777'],
      env: {},
      labels,
      timeoutMs: 10_000,
      limits: { ...LIMITS, network: 'internet' },
    });
    expect(control.exitCode).toBe(0);
    await docker('rm', '-f', listener);
  });

  it('reaches a service through a proxy on 127.0.0.1 where container addresses are not routable, keeping it internal', async () => {
    const warnings: string[] = [];
    const logger = {
      info: () => {},
      debug: () => {},
      warn: (m: string) => warnings.push(m),
      group: <T>(_t: string, fn: () => Promise<T>) => fn(),
    };
    const publishing = createDockerEngine({ publishPorts: true, logger });
    expect((await publishing.ping()).desktop).toBe(true);
    const svc = await publishing.startService({ image: BASE, env: {}, ports: [8080], command: HTTPD, limits: LIMITS, labels });
    services.push(svc);
    const { host, port } = await svc.address(8080);
    expect(host).toBe('127.0.0.1');
    expect(port).not.toBe(8080);
    // the proxy accepts before the service listens: wait for an answer, not a connection
    expect(await eventually(() => httpGet(host, port, '/index.html'))).toBe('hello\n');
    const networks = JSON.parse(await docker('inspect', '-f', '{{json .NetworkSettings.Networks}}', svc.id)) as Record<string, unknown>;
    expect(Object.keys(networks)).toHaveLength(1);
    expect(await docker('network', 'inspect', '-f', '{{.Internal}}', Object.keys(networks)[0]!)).toBe('true');
    expect(await docker('inspect', '-f', '{{json .HostConfig.PortBindings}}', svc.id)).toMatch(/^(null|\{\})$/);
    expect(warnings.join('\n')).not.toMatch(/isolation is reduced/i);
    await expect(svc.address(9999)).rejects.toThrow(/not published/);
  });

  it('reports a crash with its exit code and keeps what it printed', async () => {
    const svc = await service({ command: ['sh', '-c', 'echo starting; echo "bad config" >&2; exit 3'] });
    const exit = await svc.exited();
    expect(exit).toEqual({ exitCode: 3, oomKilled: false });
    expect(svc.exitInfo()).toEqual(exit);
    // stdout and stderr are separate pipes: the engine does not promise their interleaving.
    expect(svc.logs().text.split('\n').sort()).toEqual(['', 'bad config', 'starting']);
  });

  it('reports a command that cannot start as a crash, not an engine failure', async () => {
    const svc = await service({ command: ['/no/such/program'] });
    const exit = await svc.exited();
    expect(exit.exitCode).not.toBe(0);
    expect(svc.logs().text).toMatch(/no such file|not found/i);
  });

  it('reports running out of memory', async () => {
    const svc = await service({
      command: ['sh', '-c', 'x=aaaaaaaaaaaaaaaa; while true; do x="$x$x"; done'],
      limits: { ...LIMITS, memoryBytes: 32 * 1024 ** 2 },
    });
    const exit = await svc.exited();
    expect(exit.oomKilled).toBe(true);
    expect(exit.exitCode).toBe(137);
  });

  it('passes only the requested environment', async () => {
    process.env.GRADER_TEST_SECRET = 'must-not-leak';
    const svc = await service({ command: ['sleep', '60'], env: { GREETING: 'hi there' } });
    const result = await svc.exec(['env'], { timeoutMs: 10_000 });
    expect(result.stdout.text).toContain('GREETING=hi there\n');
    expect(result.stdout.text).not.toContain('GRADER_TEST_SECRET');
  });

  it('runs an exec with separate output and its exit code', async () => {
    const svc = await service({ command: ['sleep', '60'] });
    const result = await svc.exec(['sh', '-c', 'echo out; echo err >&2; exit 4'], { timeoutMs: 10_000 });
    expect(result).toMatchObject({ exitCode: 4, oomKilled: false });
    expect(result.killedFor).toBeUndefined();
    expect(result.stdout).toEqual({ text: 'out\n', bytes: 4, truncated: false });
    expect(result.stderr).toEqual({ text: 'err\n', bytes: 4, truncated: false });
  });

  it('tells an exec killed by the memory limit, and a command that does not exist, from other failures', async () => {
    const svc = await service({ command: ['sleep', '60'], limits: { ...LIMITS, memoryBytes: 32 * 1024 ** 2 } });
    const hog = await svc.exec(['sh', '-c', 'x=aaaaaaaaaaaaaaaa; while true; do x="$x$x"; done'], { timeoutMs: 10_000 });
    expect(hog).toMatchObject({ exitCode: 137, oomKilled: true });
    expect(hog.killedFor).toBeUndefined();
    const killed = await svc.exec(['sh', '-c', 'kill -9 $$'], { timeoutMs: 10_000 });
    expect(killed).toMatchObject({ exitCode: 137, oomKilled: false });
    const missing = await svc.exec(['/no/such/program'], { timeoutMs: 10_000 });
    expect(missing.exitCode).toBe(126);
    expect(missing.stdout.text + missing.stderr.text).toMatch(/no such file/i);
    expect(svc.exitInfo()).toBeUndefined();
  });

  it('answers an exec into a service that has exited with an outcome, not an exception', async () => {
    const svc = await service({ command: ['true'] });
    await svc.exited();
    const result = await svc.exec(['echo', 'hi'], { timeoutMs: 10_000 });
    expect(result.exitCode).toBeNull();
    expect(result.killedFor).toBeUndefined();
    expect(result.stderr.text).toMatch(/not running/);
  });

  it('kills the container when an exec overruns its time limit', async () => {
    const svc = await service({ command: ['sleep', '60'] });
    const result = await svc.exec(['sh', '-c', 'echo before; sleep 30'], { timeoutMs: 500 });
    // Killed by the limit, as it says; the bound is half the 30 s the command sleeps, room for a busy machine.
    expect(result.killedFor).toBe('time');
    expect(result.exitCode).toBeNull();
    expect(result.stdout.text).toBe('before\n');
    expect(result.durationMs).toBeLessThan(15_000);
    expect(await svc.exited()).toMatchObject({ killedFor: 'time' });
  });

  it('stops a service that handles SIGTERM within the grace time', async () => {
    const svc = await service({ command: ['sh', '-c', 'trap "echo bye; exit 0" TERM; echo ready; while true; do sleep 0.05; done'] });
    await waitForLine(svc, 'ready');
    // A long grace: stopping must end when the container does, not when the grace does.
    const result = await svc.stop(30_000);
    expect(result.exitedInTime).toBe(true);
    expect(result.elapsedMs).toBeLessThan(15_000);
    expect(result.exit).toEqual({ exitCode: 0, oomKilled: false });
    expect(svc.logs().text).toContain('bye');
  });

  it('kills a service that ignores SIGTERM once the grace time is over', async () => {
    const svc = await service({ command: ['sh', '-c', 'trap "" TERM; echo ready; while true; do sleep 0.05; done'] });
    await waitForLine(svc, 'ready');
    const result = await svc.stop(500);
    expect(result.exitedInTime).toBe(false);
    expect(result.elapsedMs).toBeGreaterThanOrEqual(500);
    // The loop never ends by itself: only the kill after the grace stops it; the bound leaves a busy engine room.
    expect(result.elapsedMs).toBeLessThan(10_000);
    expect(result.exit).toMatchObject({ exitCode: 137, killedFor: 'time' });
  });
});

async function waitForLine(svc: Service, text: string): Promise<void> {
  await new Promise<void>((resolve) => {
    const stop = svc.onLogLine((line) => {
      if (line === text) {
        stop();
        resolve();
      }
    });
    if (svc.logs().text.split('\n').includes(text)) {
      stop();
      resolve();
    }
  });
}

describe('runOnce', () => {
  const base = { env: {}, labels, limits: LIMITS, timeoutMs: 10_000 };
  let withEntrypoint: string;

  beforeAll(async () => {
    withEntrypoint = await buildTestImage('entrypoint', `FROM ${BASE}\nENTRYPOINT ["echo", "prefix"]\nCMD ["default"]\n`);
  });

  it('passes the arguments after the image ENTRYPOINT, and runs the CMD without them', async () => {
    const withArgs = await engine.runOnce({ ...base, image: withEntrypoint, args: ['a', 'b c'] });
    expect(withArgs).toMatchObject({ exitCode: 0, oomKilled: false });
    expect(withArgs.killedFor).toBeUndefined();
    expect(withArgs.stdout.text).toBe('prefix a b c\n');
    const withoutArgs = await engine.runOnce({ ...base, image: withEntrypoint, args: [] });
    expect(withoutArgs.stdout.text).toBe('prefix default\n');
  });

  it('feeds stdin and closes it, so the program sees the end', async () => {
    const counted = await engine.runOnce({ ...base, image: BASE, args: ['wc', '-c'], stdin: 'héllo\n' });
    expect(counted.stdout.text.trim()).toBe(String(Buffer.byteLength('héllo\n')));
    const echoed = await engine.runOnce({ ...base, image: BASE, args: ['cat'], stdin: 'line one\nline two' });
    expect(echoed).toMatchObject({ exitCode: 0 });
    expect(echoed.killedFor).toBeUndefined();
    expect(echoed.stdout.text).toBe('line one\nline two');
    // no stdin given: reading it ends at once instead of hanging
    const empty = await engine.runOnce({ ...base, image: BASE, args: ['cat'], timeoutMs: 5_000 });
    expect(empty).toMatchObject({ exitCode: 0 });
    expect(empty.killedFor).toBeUndefined();
  });

  it('passes only the requested environment and separates stdout from stderr', async () => {
    process.env.GRADER_TEST_SECRET = 'must-not-leak';
    const result = await engine.runOnce({
      ...base,
      image: BASE,
      env: { GREETING: 'hi' },
      args: ['sh', '-c', 'env; echo oops >&2; exit 5'],
    });
    expect(result.exitCode).toBe(5);
    expect(result.stdout.text).toContain('GREETING=hi\n');
    expect(result.stdout.text).not.toContain('GRADER_TEST_SECRET');
    expect(result.stderr.text).toBe('oops\n');
  });

  it('has no network but loopback by default', async () => {
    const result = await engine.runOnce({ ...base, image: BASE, args: ['sh', '-c', 'ls /sys/class/net; ip route'] });
    expect(result.stdout.text).toBe('lo\n');
  });

  it('kills a run that overruns its time limit', async () => {
    const result = await engine.runOnce({ ...base, image: BASE, args: ['sh', '-c', 'echo started; sleep 30'], timeoutMs: 300 });
    // Killed by the limit, as it says; the bound is half the 30 s the command sleeps, room for a busy machine.
    expect(result.killedFor).toBe('time');
    expect(result.exitCode).toBeNull();
    expect(result.stdout.text).toBe('started\n');
    expect(result.durationMs).toBeLessThan(15_000);
  });

  it('reports running out of memory', async () => {
    const result = await engine.runOnce({
      ...base,
      image: BASE,
      args: ['sh', '-c', 'x=aaaaaaaaaaaaaaaa; while true; do x="$x$x"; done'],
      limits: { ...LIMITS, memoryBytes: 32 * 1024 ** 2 },
    });
    expect(result).toMatchObject({ oomKilled: true, exitCode: 137 });
    expect(result.killedFor).toBeUndefined();
  });

  it('keeps draining a flood while storing only the cap', async () => {
    const heapBefore = process.memoryUsage().heapUsed;
    // busybox `yes` writes a line per syscall (about 1 MB/s through the engine); /dev/zero is fast
    const result = await engine.runOnce({
      ...base,
      image: BASE,
      args: ['head', '-c', '100000000', '/dev/zero'],
      outputCap: 4096,
      timeoutMs: 60_000,
    });
    expect(result.exitCode).toBe(0);
    expect(result.stdout.bytes).toBe(100_000_000);
    expect(result.stdout.text).toBe('\0'.repeat(4096));
    expect(result.stdout.truncated).toBe(true);
    const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
    console.log(`100 MB flood in ${result.durationMs} ms, heap growth ${(heapGrowth / 1024 ** 2).toFixed(1)} MiB`);
    expect(heapGrowth).toBeLessThan(64 * 1024 ** 2);
  });

  it('removes its container', async () => {
    const oneShot = runLabels(`${TEST_SESSION}-one-shot`);
    await engine.runOnce({ ...base, labels: oneShot, image: BASE, args: ['true'] });
    expect((await listLeftovers(oneShot[RUN_LABEL]!)).containers).toEqual([]);
  });
});

describe('images', () => {
  it('describes an image', async () => {
    const id = await buildTestImage(
      'inspect',
      [
        `FROM ${BASE}`,
        'EXPOSE 8080 9090/udp 3000/tcp',
        'ENV A=1 B="x=y"',
        'LABEL course="docker 101"',
        'WORKDIR /app',
        'USER nobody',
        'HEALTHCHECK CMD true',
        'ENTRYPOINT ["sh", "-c"]',
        'CMD ["echo hi"]',
      ].join('\n'),
    );
    const info = await engine.inspectImage(id);
    expect(info).toMatchObject({
      id,
      user: 'nobody',
      exposedPorts: [3000, 8080],
      workdir: '/app',
      entrypoint: ['sh', '-c'],
      cmd: ['echo hi'],
      healthcheck: true,
    });
    expect(info.env).toMatchObject({ A: '1', B: 'x=y' });
    expect(info.labels).toMatchObject({ course: 'docker 101' });
    expect(info.sizeBytes).toBeGreaterThan(1_000_000);
    expect(info.layers).toBeGreaterThanOrEqual(3);

    const plain = await engine.inspectImage(await buildTestImage('no-health', `FROM ${id}\nHEALTHCHECK NONE\n`));
    expect(plain.healthcheck).toBe(false);
  });

  it('reads files out of an image without running it', async () => {
    const id = await buildTestImage(
      'files',
      [
        `FROM ${BASE}`,
        'COPY hello.txt /data/hello.txt',
        'RUN ln -s hello.txt /data/link && mkdir /data/dir && echo inside > /data/dir/file',
        // labelled with the run, as the grader's own builds are: the reader's container inherits it
        `LABEL ${RUN_LABEL}=${runId}`,
      ].join('\n'),
      { 'hello.txt': 'hello world\n' },
    );
    expect(await engine.readImageFile(id, '/data/hello.txt', 1024)).toEqual({
      kind: 'file',
      content: Buffer.from('hello world\n'),
      truncated: false,
    });
    expect(await engine.readImageFile(id, '/data/hello.txt', 12)).toEqual({
      kind: 'file',
      content: Buffer.from('hello world\n'),
      truncated: false,
    });
    expect(await engine.readImageFile(id, '/data/hello.txt', 5)).toEqual({ kind: 'file', content: Buffer.from('hello'), truncated: true });
    expect(await engine.readImageFile(id, '/data/missing.txt', 1024)).toEqual({ kind: 'missing' });
    expect(await engine.readImageFile(id, '/data/link', 1024)).toEqual({ kind: 'other', type: 'symlink' });
    expect(await engine.readImageFile(id, '/data/dir', 1024)).toEqual({ kind: 'other', type: 'directory' });
    expect(await engine.readImageFile(id, '/bin/busybox', 4)).toEqual({
      kind: 'file',
      content: Buffer.from('\x7fELF', 'latin1'),
      truncated: true,
    });
    const readers = await docker(
      'ps',
      '-a',
      '-q',
      '--filter',
      `label=${RUN_LABEL}=${runId}`,
      '--filter',
      'label=io.github.grader.purpose=read-file',
    );
    expect(readers).toBe('');
  });
});

describe('cleanup', () => {
  it('removes every container, network and volume labelled with the run', async () => {
    const cleanupRun = `${TEST_SESSION}-cleanup`;
    const runLabel = runLabels(cleanupRun);
    await engine.startService({ image: BASE, env: {}, ports: [8080], command: ['sleep', '60'], limits: LIMITS, labels: runLabel });
    await engine.startService({ image: BASE, env: {}, ports: [], command: ['true'], limits: LIMITS, labels: runLabel });
    await docker('volume', 'create', '--label', `${RUN_LABEL}=${cleanupRun}`);
    const before = await listLeftovers(cleanupRun);
    expect(before.containers).toHaveLength(2);
    expect(before.networks).toHaveLength(2);
    expect(before.volumes).toHaveLength(1);

    await engine.cleanup(cleanupRun);
    expect(await listLeftovers(cleanupRun)).toEqual({ containers: [], networks: [], volumes: [], images: [] });
    await engine.cleanup(cleanupRun); // again: nothing left, no error
  });

  it('sweeps grader-labelled leftovers older than the given age, and only those', async () => {
    const oldRun = `${TEST_SESSION}-stale`;
    // Three hours old: past this test's one-hour age, yet short of the six hours after which
    // the gradings of other test files, sweeping at the same time, would remove it first.
    const ancient = `${CREATED_LABEL}=${new Date(Date.now() - 3 * 3600 * 1000).toISOString()}`;
    await docker(
      'network',
      'create',
      '--label',
      `${RUN_LABEL}=${oldRun}`,
      '--label',
      ancient,
      `grader-stale-${randomBytes(4).toString('hex')}`,
    );
    await docker('create', '--label', `${RUN_LABEL}=${oldRun}`, '--label', ancient, BASE, 'true');
    const fresh = `${TEST_SESSION}-fresh`;
    await docker('volume', 'create', '--label', `${RUN_LABEL}=${fresh}`, '--label', `${CREATED_LABEL}=${new Date().toISOString()}`);

    const removed = await engine.sweepStale(3600 * 1000);
    expect(removed).toBeGreaterThanOrEqual(2);
    expect(await listLeftovers(oldRun)).toEqual({ containers: [], networks: [], volumes: [], images: [] });
    expect((await listLeftovers(fresh)).volumes).toHaveLength(1);
    await engine.cleanup(fresh);
  });

  it('leaves nothing of this file behind once its run is cleaned up', async () => {
    for (const svc of services) if (!svc.exitInfo()) await svc.stop(0);
    await engine.cleanup(runId);
    expect(await listLeftovers(runId)).toEqual({ containers: [], networks: [], volumes: [], images: [] });
  });
});
