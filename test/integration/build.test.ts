/**
 * buildImage against the real Docker Engine, with both builders where the engine has
 * them. Needs the local base image busybox:1.35 (scripts/base-images.sh makes it).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineUnavailableError } from '../../src/basics/errors.js';
import { buildImage } from '../../src/engine/build/docker-build.js';
import type { BuildFailure, BuildOutcome, BuildRequest } from '../../src/engine/engine.js';
import { parseDockerfile } from '../../src/probes/dockerfile/model.js';
import { describeBuildFailure } from '../../src/probes/kinds/build.js';
import { eventually } from '../helpers/docker.js';

const docker = new Dockerode();
const runId = `build-test-${randomBytes(4).toString('hex')}`;
const TEST_LABEL = 'io.github.grader.test-run';
const dirs: string[] = [];

async function context(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'grader-build-'));
  dirs.push(dir);
  // a fresh token per context keeps BuildKit's cache from skipping the steps under test
  await writeFile(path.join(dir, 'token.txt'), randomBytes(8).toString('hex'));
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), content);
  }
  return dir;
}

async function build(
  contextDir: string,
  buildkit: boolean,
  extra: Partial<BuildRequest> = {},
): Promise<{ outcome: BuildOutcome; log: string[] }> {
  const log: string[] = [];
  const dockerfile = extra.dockerfile ?? 'Dockerfile';
  const text = await readFile(path.join(contextDir, dockerfile), 'utf8');
  const frontend = parseDockerfile(text, dockerfile).directives.syntax?.value;
  const outcome = await buildImage(
    docker,
    {
      contextDir,
      dockerfile,
      dockerfileText: text,
      ...(frontend ? { frontend } : {}),
      runId,
      buildArgs: {},
      tag: `grader-build-test:${runId}-${randomBytes(3).toString('hex')}`,
      labels: { [TEST_LABEL]: runId },
      timeoutMs: 120_000,
      onLog: (line) => log.push(line),
      ...extra,
    },
    { buildkit },
  );
  return { outcome, log };
}

/** What the student reads: the build check's wording of the engine's facts. */
function worded(failure: BuildFailure, dockerfileText: string): string {
  return describeBuildFailure(failure, parseDockerfile(dockerfileText, 'Dockerfile'));
}

/** Host processes whose command line holds `marker` (the build's RUN shell). */
async function processesWith(marker: string): Promise<number> {
  let found = 0;
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(marker)) found += 1;
  }
  return found;
}

async function containersWith(marker: string): Promise<number> {
  const all = await docker.listContainers({ all: true });
  return all.filter((c) => c.Command.includes(marker)).length;
}

beforeAll(async () => {
  try {
    await docker.ping();
  } catch (err) {
    throw new Error(`No Docker Engine answers at /var/run/docker.sock; these tests need one (${String(err)})`);
  }
  const base = await docker
    .getImage('busybox:1.35')
    .inspect()
    .catch(() => undefined);
  if (!base) throw new Error('The base image busybox:1.35 is missing: run scripts/base-images.sh first');
});

afterAll(async () => {
  const images = await docker.listImages({ filters: { label: [`${TEST_LABEL}=${runId}`] } });
  for (const image of images)
    await docker
      .getImage(image.Id)
      .remove({ force: true })
      .catch(() => undefined);
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe.each([
  { builder: 'classic', buildkit: false },
  { builder: 'BuildKit', buildkit: true },
])('buildImage with the $builder builder', ({ buildkit }) => {
  it('builds an image, labels it and streams the log', async () => {
    const dir = await context({
      Dockerfile: 'FROM busybox:1.35\nARG GREETING=unset\nRUN echo "greeting=$GREETING"\nCOPY token.txt /token.txt\n',
    });
    const { outcome, log } = await build(dir, buildkit, { buildArgs: { GREETING: 'hello-arg' } });
    expect(outcome).toMatchObject({ ok: true });
    if (!outcome.ok) return;
    expect(outcome.imageId).toMatch(/^sha256:[0-9a-f]{64}$/);
    const image = await docker.getImage(outcome.imageId).inspect();
    expect(image.Config.Labels?.[TEST_LABEL]).toBe(runId);
    expect(log.some((line) => line.includes('greeting=hello-arg'))).toBe(true);
    expect(outcome.durationMs).toBeGreaterThan(0);
  });

  it('names the failing RUN step, its Dockerfile line and the tail of its output', async () => {
    const Dockerfile =
      'FROM busybox:1.35\nCOPY token.txt /\nRUN echo before\n# a comment\nRUN echo line1 && \\\n    echo oops >&2 && exit 3\nRUN echo after\n';
    const dir = await context({ Dockerfile });
    const { outcome } = await build(dir, buildkit);
    expect(outcome).toMatchObject({ ok: false, reason: 'failed' });
    if (outcome.ok || outcome.reason !== 'failed') return;
    expect(outcome.failingStep).toContain('RUN echo line1 && echo oops >&2 && exit 3');
    expect(outcome.error).toMatch(/exit code: 3|non-zero code: 3/);
    expect(outcome.error).not.toMatch(/^failed to solve/);
    expect(outcome.logTail).toContain('line1');
    expect(outcome.logTail).toContain('oops');
    expect(outcome.logTail).not.toContain('before');
    expect(outcome.logTail).not.toContain('\u001b');
    const message = worded(outcome, Dockerfile);
    expect(message).toMatch(/RUN echo line1 && echo oops >&2 && exit 3 \(line 5\) failed: /);
    expect(message.match(/RUN echo line1/g)).toHaveLength(1);
    expect(message.match(/line 5/g)).toHaveLength(1);
  });

  it('reports an unknown instruction with its line', async () => {
    const Dockerfile = 'FROM busybox:1.35\nRUN echo hi\nFOO bar\n';
    const dir = await context({ Dockerfile });
    const { outcome } = await build(dir, buildkit);
    expect(outcome).toMatchObject({ ok: false, reason: 'failed', line: 3 });
    if (outcome.ok) return;
    expect(worded(outcome, Dockerfile)).toMatch(/^Dockerfile line 3: unknown instruction: FOO/i);
  });

  it('honours .dockerignore, keeps symlinks as links and always sends the Dockerfile', async () => {
    const dir = await context({
      'docker/app.Dockerfile':
        'FROM busybox:1.35\nCOPY . /ctx/\nRUN ls -a /ctx /ctx/src && readlink /ctx/link && readlink /ctx/escape && test ! -e /ctx/.env\n',
      '.dockerignore': 'docker/\n.env\n**/*.log\nsrc/*\n!src/keep.txt\n',
      '.env': 'TOKEN=secret\n',
      'notes.log': 'x',
      'src/keep.txt': 'kept',
      'src/drop.txt': 'dropped',
      'target.txt': 'target',
    });
    await symlink('target.txt', path.join(dir, 'link'));
    await symlink('/etc/hostname', path.join(dir, 'escape'));
    const { outcome, log } = await build(dir, buildkit, { dockerfile: 'docker/app.Dockerfile' });
    expect(outcome, log.join('\n')).toMatchObject({ ok: true });
    const text = log.join('\n');
    expect(text).toContain('keep.txt');
    expect(text).toContain('target.txt');
    expect(text).toContain('/etc/hostname');
    expect(text).not.toContain('drop.txt');
    expect(text).not.toContain('notes.log');
    expect(text).not.toMatch(/\s\.env\b/);
  });

  it('builds with a Dockerfile outside the context', async () => {
    // A fresh token inside the context keeps the cache from skipping the RUN whose output is checked.
    const repo = await context({
      'docker/Dockerfile': 'FROM busybox:1.35\nCOPY . /ctx/\nRUN ls -a /ctx\n',
      'app/main.c': 'int main(){}',
      'app/token.txt': randomBytes(8).toString('hex'),
    });
    const { outcome, log } = await build(path.join(repo, 'app'), buildkit, { dockerfile: '../docker/Dockerfile' });
    expect(outcome, log.join('\n')).toMatchObject({ ok: true });
    expect(log.some((line) => line.endsWith('main.c'))).toBe(true);
  });

  it('stops a build that runs past its time limit and leaves nothing running', async () => {
    const marker = `grader-timeout-${randomBytes(4).toString('hex')}`;
    const dir = await context({ Dockerfile: `FROM busybox:1.35\nCOPY token.txt /\nRUN sleep 600; echo ${marker}\n` });
    const limitMs = 4000;
    const started = Date.now();
    const running = eventually(async () => expect(await processesWith(marker)).toBeGreaterThan(0), limitMs).then(
      () => true,
      () => false,
    );
    const { outcome } = await build(dir, buildkit, { timeoutMs: limitMs });
    const wallMs = Date.now() - started;
    expect(await running).toBe(true);
    expect(outcome).toMatchObject({ ok: false, reason: 'timeout', limitMs });
    // Ended by the limit: not before it (a timer may fire a millisecond early), and long
    // before the 600 s the RUN sleeps; the bound leaves a busy machine room to cancel.
    expect(outcome.durationMs).toBeGreaterThanOrEqual(limitMs - 5);
    expect(wallMs).toBeLessThan(limitMs + 20_000);
    if (outcome.ok) return;
    expect(worded(outcome, '')).toMatch(/did not finish within 4\.0 s/);
    await eventually(async () => expect(await processesWith(marker)).toBe(0));
    await eventually(async () => expect(await containersWith(marker)).toBe(0));
  });
});

describe('buildImage with BuildKit only features', () => {
  it('builds RUN --mount=type=cache and COPY --chmod with BuildKit', async () => {
    const dir = await context({
      Dockerfile:
        'FROM busybox:1.35\nCOPY token.txt /\nCOPY --chmod=755 run.sh /run.sh\nRUN --mount=type=cache,target=/cache echo cached > /cache/x && ls -l /run.sh && cat /cache/x\n',
      'run.sh': 'echo run\n',
    });
    const { outcome, log } = await build(dir, true);
    expect(outcome, log.join('\n')).toMatchObject({ ok: true });
    const text = log.join('\n');
    expect(text).toMatch(/-rwxr-xr-x .*\/run\.sh/);
    expect(text).toContain('cached');
  });

  it('says the classic builder needs BuildKit for them', async () => {
    const Dockerfile = 'FROM busybox:1.35\nCOPY --chmod=755 token.txt /t\n';
    const dir = await context({ Dockerfile });
    const { outcome } = await build(dir, false);
    expect(outcome).toMatchObject({ ok: false, reason: 'failed' });
    if (outcome.ok) return;
    const message = worded(outcome, Dockerfile);
    expect(message).toMatch(/requires BuildKit/);
    expect(message.match(/line 2/g)).toHaveLength(1);
  });

  it('reports a # syntax= frontend that cannot be fetched as frontend-unavailable', async () => {
    // a registry on a closed loopback port: unreachable everywhere, and no traffic leaves the machine
    const Dockerfile = '# syntax=127.0.0.1:9/grader/no-such-frontend:1\nFROM busybox:1.35\nRUN echo hi\n';
    const dir = await context({ Dockerfile });
    const { outcome } = await build(dir, true);
    expect(outcome).toMatchObject({ ok: false, reason: 'frontend-unavailable', frontend: '127.0.0.1:9/grader/no-such-frontend:1' });
    if (outcome.ok) return;
    const message = worded(outcome, Dockerfile);
    expect(message).toContain('127.0.0.1:9/grader/no-such-frontend:1');
    expect(message).toMatch(/could not fetch/);
    expect(message).toMatch(/Removing the "# syntax=" line/);
    // Once to say what the line does, once to say to remove it: not again from a second writer.
    expect(message.match(/# syntax=/g)).toHaveLength(2);
  });

  it('stops when the caller aborts, once the RUN step is running', async () => {
    const marker = `grader-abort-${randomBytes(4).toString('hex')}`;
    const dir = await context({ Dockerfile: `FROM busybox:1.35\nCOPY token.txt /\nRUN sleep 600; echo ${marker}\n` });
    const controller = new AbortController();
    const watcher = eventually(async () => expect(await processesWith(marker)).toBeGreaterThan(0), 20_000)
      .then(
        () => true,
        () => false,
      )
      .finally(() => controller.abort());
    const { outcome } = await build(dir, true, { signal: controller.signal });
    expect(await watcher).toBe(true);
    expect(outcome).toMatchObject({ ok: false, reason: 'cancelled' });
    if (outcome.ok) return;
    expect(worded(outcome, '')).toMatch(/cancelled/);
    await eventually(async () => expect(await processesWith(marker)).toBe(0));
  });
});

describe('buildImage before the build', () => {
  it('fails as ungradable when no engine answers', async () => {
    const dir = await context({ Dockerfile: 'FROM busybox:1.35\n' });
    const nowhere = new Dockerode({ socketPath: path.join(dir, 'no-engine.sock') });
    const request = {
      contextDir: dir,
      dockerfile: 'Dockerfile',
      dockerfileText: 'FROM busybox:1.35\n',
      runId,
      buildArgs: {},
      tag: 'unused',
      labels: {},
      timeoutMs: 10_000,
    };
    await expect(buildImage(nowhere, request, { buildkit: false })).rejects.toThrow(EngineUnavailableError);
  });

  it('refuses a context over 50 MiB before uploading anything', async () => {
    const dir = await context({ Dockerfile: 'FROM busybox:1.35\n' });
    await writeFile(path.join(dir, 'big.bin'), '');
    await truncate(path.join(dir, 'big.bin'), 51 * 1024 * 1024); // sparse: costs no disk
    // an engine that does not exist: any upload attempt would fail differently
    const nowhere = new Dockerode({ socketPath: path.join(dir, 'no-engine.sock') });
    const outcome = await buildImage(
      nowhere,
      {
        contextDir: dir,
        dockerfile: 'Dockerfile',
        dockerfileText: 'FROM busybox:1.35\n',
        runId,
        buildArgs: {},
        tag: 'unused',
        labels: {},
        timeoutMs: 10_000,
      },
      { buildkit: true },
    );
    expect(outcome).toMatchObject({ ok: false, reason: 'context-too-large' });
    if (outcome.ok || outcome.reason !== 'context-too-large') return;
    expect(outcome.context).toMatchObject({ complete: true, maxBytes: 50 * 1024 * 1024 });
    expect(outcome.context.bytes).toBeGreaterThan(51 * 1024 * 1024);
    expect(outcome.context.largest[0]).toEqual({ name: 'big.bin', files: 1, bytes: 51 * 1024 * 1024 });
    const message = worded(outcome, 'FROM busybox:1.35\n');
    expect(message).toMatch(/51 MiB/);
    expect(message).toMatch(/big\.bin/);
    expect(message).toMatch(/\.dockerignore/);
  });
});
