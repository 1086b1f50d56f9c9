/**
 * Hostile Dockerfiles that go after the engine and the other runs on it while the image
 * builds: a Dockerfile too long for the engine's frontend, a `.dockerignore` that is a
 * device, a cache mount shared with the next submission, an image another run built, and
 * services on the grading machine. Traffic stays on this machine: the only target is a
 * listener this test starts on the host.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDockerEngine } from '../../src/engine/docker-engine.js';
import type { BuildRequest, ContainerEngine } from '../../src/engine/engine.js';
import { RUN_LABEL } from '../../src/engine/engine.js';
import { DOCKERFILE_LIMITS } from '../../src/core/dockerfile-limits.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { toJson } from '../../src/report/json.js';
import { TEST_SESSION, engine as connectEngine, docker, expectNothingLeft } from '../helpers/docker.js';
import { SMALL_LIMITS, check, copyFixture, gradeHostile } from '../helpers/hostile.js';

const run = promisify(execFile);
let engine: ContainerEngine;
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  engine = await connectEngine();
});

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

/** The engine, with every build request it is given recorded. */
function recordingEngine(inner: ContainerEngine) {
  const builds: BuildRequest[] = [];
  const wrapped = new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === 'build') {
        return (request: BuildRequest) => {
          builds.push(request);
          return target.build(request);
        };
      }
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { engine: wrapped, builds };
}

async function freshCopy(name: string): Promise<string> {
  const copy = await copyFixture(name);
  cleanups.push(copy.remove);
  await writeFile(path.join(copy.dir, 'nonce'), randomBytes(8).toString('hex'));
  return copy.dir;
}

async function submissionWith(dockerfile: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'grader-hostile-build-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  await writeFile(path.join(dir, 'Dockerfile'), dockerfile);
  return dir;
}

const BUILD_AND_STATIC = `
rubric: 1
title: build limits
${SMALL_LIMITS}
checks:
  - { id: non-root, name: non-root, dockerfile: { rule: non-root-user } }
  - { id: pinned, name: pinned, dockerfile: { rule: pinned-base } }
  - { id: build, name: builds, build: {} }
`;

describe('a Dockerfile over the limits never reaches the engine', () => {
  it.each([
    [
      '10,000 ENV lines (148 KB)',
      () => `FROM busybox:1.35\n${Array.from({ length: 10_000 }, (_, i) => `ENV VARIABLE_${i}=value${i}`).join('\n')}\n`,
      /larger than 64 KiB/,
    ],
    ['250 instructions in 3 KB', () => `FROM busybox:1.35\n${'ENV A=1\n'.repeat(249)}`, /250 instructions; the grader builds at most 200/],
    [
      'one ENV with 4,000 variables',
      () => `FROM busybox:1.35\nENV ${Array.from({ length: 4000 }, (_, i) => `V${i}=x`).join(' ')}\n`,
      /sets 4000 variables/,
    ],
    ['a frontend of its own', () => '# syntax=example.com/evil/frontend:1\nFROM busybox:1.35\n', /other than Docker's own/],
  ])('refuses %s with a message, at once', async (_name, dockerfile, message) => {
    const recording = recordingEngine(engine);
    const { result, runId, wallMs } = await gradeHostile(recording.engine, await submissionWith(dockerfile()), BUILD_AND_STATIC);
    expect(result.status).toBe('graded');
    expect(check(result, 'build')).toMatchObject({ status: 'failed', points: 0 });
    expect(check(result, 'build').message).toMatch(message);
    expect(recording.builds).toEqual([]);
    expect(wallMs).toBeLessThan(10_000);
    await expectNothingLeft(runId);
  });

  it('checks exactly what would be built: no static check passes on a Dockerfile past the size cap', async () => {
    // The first 64 KiB look perfect; the end of the file would make the image run as root from an unpinned base.
    const padding = '# padding\n'.repeat(Math.ceil(DOCKERFILE_LIMITS.bytes / 10));
    const dockerfile = `FROM busybox:1.35\nUSER 1000\n${padding}FROM busybox\nUSER root\n`;
    const recording = recordingEngine(engine);
    const { result, runId } = await gradeHostile(recording.engine, await submissionWith(dockerfile), BUILD_AND_STATIC);
    for (const id of ['non-root', 'pinned', 'build']) {
      expect(check(result, id), id).toMatchObject({ status: 'failed', points: 0 });
      expect(check(result, id).message, id).toMatch(/larger than 64 KiB, so the grader does not build it/);
    }
    expect(result.score).toBe(0);
    expect(recording.builds).toEqual([]);
    await expectNothingLeft(runId);
  });
});

describe('a .dockerignore that links to a device', () => {
  it.each(['/dev/stdin', '/dev/zero', '/dev/urandom'])('is refused, not read: %s', async (device) => {
    const dir = await freshCopy('dockerignore-device');
    await symlink(device, path.join(dir, '.dockerignore'));
    const { result, runId, wallMs } = await gradeHostile(engine, dir, BUILD_AND_STATIC);
    expect(check(result, 'build')).toMatchObject({ status: 'failed' });
    expect(check(result, 'build').message).toMatch(/\.dockerignore is not a regular file \(it is a symbolic link\)/);
    expect(wallMs).toBeLessThan(10_000);
    await expectNothingLeft(runId);
  });
});

describe('BuildKit cache mounts', () => {
  const PEEK = `
rubric: 1
title: cache
${SMALL_LIMITS}
checks:
  - { id: build, name: builds, build: {} }
  - { id: seen, name: seen, run: { args: [], stdout: { contains: "cache was empty", not_contains: planted } } }
  - { id: own, name: own steps share, run: { args: [], stdout: kept-between-steps } }
`;
  const PLANT = `
rubric: 1
title: plant
${SMALL_LIMITS}
checks:
  - { id: build, name: builds, build: {} }
`;

  it('keeps what one run planted away from the next run, which still shares the cache between its own steps', async () => {
    const planted = await gradeHostile(engine, await freshCopy('cache-plant'), PLANT);
    expect(check(planted.result, 'build').status).toBe('passed');
    const peek = await gradeHostile(engine, await freshCopy('cache-peek'), PEEK);
    expect(check(peek.result, 'build').status).toBe('passed');
    expect(check(peek.result, 'seen').status).toBe('passed');
    expect(check(peek.result, 'own').status).toBe('passed');
    await expectNothingLeft(planted.runId);
    await expectNothingLeft(peek.runId);
  });

  it('keeps them apart when the runs build at the same time', async () => {
    const [planted, peek] = await Promise.all([
      gradeHostile(engine, await freshCopy('cache-plant'), PLANT),
      gradeHostile(engine, await freshCopy('cache-peek'), PEEK),
    ]);
    expect(check(planted.result, 'build').status).toBe('passed');
    expect(check(peek.result, 'seen').status).toBe('passed');
    expect(check(peek.result, 'own').status).toBe('passed');
  });

  it("prunes the run's cache mounts at clean-up when no other build is under way", async () => {
    await gradeHostile(engine, await freshCopy('cache-plant'), PLANT);
    const dockerode = new Dockerode();
    const usage = (await dockerode.df()) as { BuildCache?: { Type: string; Description: string }[] };
    const mounts = (usage.BuildCache ?? []).filter(
      (record) => record.Type === 'exec.cachemount' && record.Description.includes('planted-by-another-student'),
    );
    expect(mounts).toEqual([]);
  });

  it('holds what failed builds leave in the cache to the budget', async () => {
    const tight = createDockerEngine({ buildCache: { budgetBytes: 0 } });
    const { result } = await gradeHostile(tight, await freshCopy('cache-filler'), PLANT);
    expect(check(result, 'build').message).toMatch(/exit code: 1|returned a non-zero code: 1/);
    const usage = (await new Dockerode().df()) as { BuildCache?: { Description: string; Size: number }[] };
    const left = (usage.BuildCache ?? []).filter((record) => record.Description.includes('/filler'));
    expect(left).toEqual([]);
  });
});

describe("another run's image", () => {
  const foreignTag = `grader/foreign-${TEST_SESSION}:latest`;
  let foreignId = '';

  beforeAll(async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'grader-foreign-'));
    try {
      await writeFile(path.join(dir, 'Dockerfile'), 'FROM busybox:1.35\nRUN echo instructor-solution > /secret\n');
      await run('docker', ['build', '-q', '--label', `${RUN_LABEL}=foreign-${TEST_SESSION}`, '-t', foreignTag, dir], {
        env: { ...process.env, DOCKER_BUILDKIT: '0' },
      });
      foreignId = (await docker('image', 'inspect', '-f', '{{.Id}}', foreignTag)).trim();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    cleanups.push(() => docker('image', 'rm', '-f', foreignTag));
  });

  it.each([
    ['FROM by tag', () => `FROM ${foreignTag}\n`],
    ['FROM by id', () => `FROM ${foreignId}\n`],
    ['FROM through an ARG', () => `ARG BASE=${foreignTag}\nFROM $BASE\n`],
    ['COPY --from', () => `FROM busybox:1.35\nCOPY --from=${foreignTag} /secret /secret\n`],
    ['RUN --mount from=', () => `FROM busybox:1.35\nRUN --mount=type=bind,from=${foreignTag},target=/other cat /other/secret\n`],
  ])('is refused before the build: %s', async (_name, dockerfile) => {
    const recording = recordingEngine(engine);
    const { result, runId } = await gradeHostile(recording.engine, await submissionWith(dockerfile()), BUILD_AND_STATIC);
    expect(check(result, 'build')).toMatchObject({ status: 'failed', points: 0 });
    expect(check(result, 'build').message).toMatch(/names an image that another grading run built/);
    expect(recording.builds).toEqual([]);
    await expectNothingLeft(runId);
  });

  it('still lets a Dockerfile build on its own stages', async () => {
    const dockerfile = 'FROM busybox:1.35 AS base\nRUN echo own > /own\nFROM base\nCOPY --from=base /own /copy\nCMD ["cat", "/copy"]\n';
    const { result } = await gradeHostile(engine, await submissionWith(dockerfile), BUILD_AND_STATIC);
    expect(check(result, 'build').status).toBe('passed');
  });
});

describe('the network during the build', () => {
  const SECRET = `host-secret-${randomBytes(6).toString('hex')}`;
  let server: Server;
  let port = 0;
  let connections = 0;

  beforeAll(async () => {
    server = createServer((socket) => {
      connections += 1;
      socket.end(`HTTP/1.0 200 OK\r\n\r\n${SECRET}\n`);
    });
    await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
    port = (server.address() as { port: number }).port;
    cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  });

  function hostAddress(): string {
    for (const [name, entries] of Object.entries(os.networkInterfaces())) {
      if (name === 'docker0' || name.startsWith('br-') || name.startsWith('veth')) continue;
      const v4 = entries?.find((entry) => entry.family === 'IPv4' && !entry.internal);
      if (v4) return v4.address;
    }
    throw new Error('no host address');
  }

  // Closing the host needs root and iptables, which CI has: it must not skip there.
  it.runIf(process.getuid?.() === 0 || process.env.CI)('cannot reach the host, and nothing it read reaches the report', async () => {
    const gateway = (await docker('network', 'inspect', 'bridge', '-f', '{{(index .IPAM.Config 0).Gateway}}')).trim();
    const rubric = `
rubric: 1
title: network
${SMALL_LIMITS}
build: { args: { GATEWAY: "${gateway}", HOST_ADDRESS: "${hostAddress()}", SECRET_PORT: "${port}" } }
checks:
  - { id: build, name: builds, build: {} }
`;
    const { result, runId, logger } = await gradeHostile(engine, await freshCopy('build-network'), rubric);
    expect(check(result, 'build').status).toBe('failed');
    const log = logger.lines.join('\n');
    // The build really asked both addresses.
    expect(log).toContain(`asking ${gateway}:${port}`);
    expect(log).toContain(`asking ${hostAddress()}:${port}`);
    expect(connections).toBe(0);
    for (const [where, text] of [
      ['the log', log],
      ['the JSON', JSON.stringify(toJson(result))],
      ['the markdown', renderMarkdown(result)],
    ] as const) {
      expect(text.includes(SECRET), where).toBe(false);
    }
    await expectNothingLeft(runId);
  });
});
