/**
 * Hostile images that go after how the container is started, on the real engine: one
 * with nothing to start (graded through the CLI's own entry, it must fail its checks, not
 * the grader), one whose HEALTHCHECK would run every millisecond, one whose VOLUME would
 * put its writes outside the measured layer.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { EXIT } from '../../src/core/grade-submission.js';
import type { ContainerEngine, RuntimeLimits, Service } from '../../src/engine/engine.js';
import { runLabels } from '../../src/engine/engine.js';
import { NOTHING_TO_START, NoCommandError, isNoCommandRefusal } from '../../src/engine/container/start-command.js';
import { TEST_SESSION, buildTestImage, docker, engine as connectEngine, removeTestImages } from '../helpers/docker.js';
import { fixture } from '../helpers/hostile.js';

const LIMITS: RuntimeLimits = { memoryBytes: 128 * 1024 ** 2, cpus: 1, pids: 64, network: 'none', diskBytes: 64 * 1024 ** 2 };
const runId = `${TEST_SESSION}-hostile-start`;
const labels = runLabels(runId);

let engine: ContainerEngine;
let scratch: string;
const services: Service[] = [];

beforeAll(async () => {
  engine = await connectEngine();
  scratch = await mkdtemp(path.join(tmpdir(), 'grader-hostile-start-'));
});

afterAll(async () => {
  for (const svc of services) if (!svc.exitInfo()) await svc.stop(0).catch(() => {});
  await engine?.cleanup(runId);
  await removeTestImages();
  await rm(scratch, { recursive: true, force: true });
});

interface Inspected {
  Config: { Healthcheck?: { Test?: string[] } };
  State: { Running: boolean; Health?: unknown };
  Mounts: { Type: string; Destination: string }[];
  HostConfig: { Tmpfs?: Record<string, string> };
}

async function inspect(id: string): Promise<Inspected> {
  return JSON.parse(await docker('container', 'inspect', id))[0] as Inspected;
}

describe('an image with nothing to start', () => {
  it('really has no CMD and no ENTRYPOINT: the engine refuses it, and the engine interface says why', async () => {
    const id = await buildTestImage('no-cmd', await readFile(path.join(fixture('no-cmd'), 'Dockerfile'), 'utf8'));
    const config = JSON.parse(await docker('image', 'inspect', '-f', '{{json .Config}}', id)) as {
      Cmd: string[] | null;
      Entrypoint: string[] | null;
    };
    expect(config.Cmd ?? []).toEqual([]);
    expect(config.Entrypoint ?? []).toEqual([]);
    const refusal = await new Dockerode().createContainer({ Image: id, Labels: labels }).catch((err: unknown) => err);
    expect(isNoCommandRefusal(refusal)).toBe(true);

    await expect(engine.startService({ image: id, env: {}, ports: [8080], limits: LIMITS, labels })).rejects.toBeInstanceOf(NoCommandError);
    await expect(engine.runOnce({ image: id, args: [], env: {}, limits: LIMITS, labels, timeoutMs: 5_000 })).rejects.toBeInstanceOf(
      NoCommandError,
    );
    const echoed = await engine.runOnce({ image: id, args: ['echo', 'hi'], env: {}, limits: LIMITS, labels, timeoutMs: 5_000 });
    expect(echoed).toMatchObject({ exitCode: 0, stdout: { text: 'hi\n' } });
  });

  it('is graded: its service and run checks fail with the reason, the others are judged, the CLI exits 1', async () => {
    const rubric = path.join(scratch, 'no-cmd.yml');
    const json = path.join(scratch, 'no-cmd.json');
    await writeFile(
      rubric,
      `
rubric: 1
title: nothing to start
pass: 60
limits: { memory: 64m, pids: 64 }
service: { port: 8080, ready: { timeout: 5s } }
checks:
  - { id: build, name: builds, build: {} }
  - { id: port, name: answers, tcp: {} }
  - { id: run, name: runs, run: { args: [] } }
  - { id: echo, name: runs with a command, run: { args: [echo, hi], stdout: { contains: hi } } }
`,
    );
    const code = await main([fixture('no-cmd'), '--rubric', rubric, '--json', json]);
    const result = JSON.parse(await readFile(json, 'utf8')) as {
      status: string;
      checks: { id: string; status: string; message: string }[];
    };
    const byId = Object.fromEntries(result.checks.map((c) => [c.id, c]));
    expect(result.status).toBe('graded');
    expect(code).toBe(EXIT.belowPass);
    expect(byId.build?.status).toBe('passed');
    expect(byId.port).toMatchObject({ status: 'failed', message: NOTHING_TO_START });
    expect(byId.run).toMatchObject({ status: 'failed', message: `docker run IMAGE: ${NOTHING_TO_START}` });
    // Arguments are a command: that run is not the image's fault.
    expect(byId.echo?.status).toBe('passed');
  });
});

describe('the sandbox around an image', () => {
  it("switches the image's health check off: the engine runs none", async () => {
    const image = await buildTestImage('healthcheck-storm', await readFile(path.join(fixture('healthcheck-storm'), 'Dockerfile'), 'utf8'));
    const declared = JSON.parse(await docker('image', 'inspect', '-f', '{{json .Config.Healthcheck}}', image)) as {
      Test: string[];
      Interval: number;
    };
    expect(declared).toMatchObject({ Test: ['CMD-SHELL', 'true'], Interval: 1_000_000 });

    const svc = await engine.startService({ image, env: {}, ports: [8080], limits: LIMITS, labels });
    services.push(svc);
    const first = await inspect(svc.id);
    expect(first.State.Running).toBe(true);
    expect(first.Config.Healthcheck?.Test).toEqual(['NONE']);
    expect(first.State.Health).toBeUndefined();
    // Still none once a few thousand intervals have passed: the service answers meanwhile.
    const address = await svc.address(8080);
    const body = await fetch(`http://${address.host}:${address.port}/index.html`, { signal: AbortSignal.timeout(5_000) }).then((r) =>
      r.text(),
    );
    expect(body).toBe('up\n');
    expect((await inspect(svc.id)).State.Health).toBeUndefined();
  });

  it('mounts a bounded tmpfs over each VOLUME path, owned as in the image, and creates no volume', async () => {
    const image = await buildTestImage(
      'volume',
      'FROM busybox:1.35\nRUN mkdir -p /data /srv/cache && chown 1000:1000 /data && chmod 750 /data\nUSER 1000\nVOLUME ["/data", "/srv/cache"]\n',
    );
    const svc = await engine.startService({ image, env: {}, ports: [], command: ['sleep', '60'], limits: LIMITS, labels });
    services.push(svc);
    const info = await inspect(svc.id);
    expect(info.Mounts.filter((m) => m.Type === 'volume')).toEqual([]);
    expect(Object.keys(info.HostConfig.Tmpfs ?? {}).sort()).toEqual(['/data', '/srv/cache']);
    const seen = await svc.exec(
      ['sh', '-c', 'stat -c "%u:%g %a" /data /srv/cache && grep -E " /(data|srv/cache) " /proc/mounts && echo x > /data/x'],
      { timeoutMs: 10_000 },
    );
    expect(seen.exitCode).toBe(0);
    const [data, cache, ...mounts] = seen.stdout.text.trim().split('\n');
    expect(data).toBe('1000:1000 750');
    expect(cache).toBe('0:0 755');
    // 64 MiB disk limit + 1 MiB of room = 66560 KiB
    expect(mounts.join('\n')).toMatch(/^tmpfs \/data tmpfs .*size=66560k/m);
    expect(mounts.join('\n')).toMatch(/^tmpfs \/srv\/cache tmpfs .*size=66560k/m);
  });
});
