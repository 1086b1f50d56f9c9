import { describe, expect, it } from 'vitest';
import { parseDockerfile } from '../../src/probes/dockerfile/model.js';
import { buildProbe } from '../../src/probes/kinds/build.js';
import { imageProbe } from '../../src/probes/kinds/image.js';
import type { BuildOutcome } from '../../src/engine/engine.js';
import type { BuildSpec, ImageSpec } from '../../src/rubric/model.js';
import { check, FakeEngine, fakeContext, imageInfo } from '../helpers/fake-engine.js';

function build(outcome: BuildOutcome, spec: Partial<BuildSpec> = {}, dockerfile?: string) {
  const ctx = fakeContext(new FakeEngine(), {
    build: outcome,
    ...(dockerfile ? { dockerfile: parseDockerfile(dockerfile, 'Dockerfile') } : {}),
  });
  return buildProbe.run(check<BuildSpec>({ kind: 'build', ...spec }), ctx);
}

describe('build probe', () => {
  it('passes a successful build, within max_time', async () => {
    const ok: BuildOutcome = { ok: true, imageId: 'sha256:1', durationMs: 12_300, logTail: '' };
    expect(await build(ok)).toEqual({ status: 'passed', message: 'the image built in 12.3 s' });
    const slow = await build(ok, { maxTimeMs: 10_000 });
    expect(slow.status).toBe('failed');
    expect(slow.message).toContain('over the limit of 10.0 s');
  });

  it("reports the failing step and its line, leaving the log to the run's build summary", async () => {
    const outcome = await build(
      {
        ok: false,
        reason: 'failed',
        error: 'process "/bin/sh -c npm ci" did not complete successfully: exit code: 1',
        failingStep: 'RUN npm ci',
        logTail: 'npm ERR! missing package-lock.json',
        durationMs: 5000,
      },
      {},
      'FROM node:22\nCOPY . .\nRUN npm ci\n',
    );
    expect(outcome).toEqual({
      status: 'failed',
      message: 'RUN npm ci (line 3) failed: process "/bin/sh -c npm ci" did not complete successfully: exit code: 1',
      locations: [{ path: 'Dockerfile', line: 3 }],
    });
  });

  it('finds the line of the failing step in the Dockerfile', async () => {
    const outcome = await build(
      { ok: false, reason: 'failed', error: 'exit code: 127', failingStep: '[build 2/3] RUN  make all', logTail: '', durationMs: 1 },
      {},
      'FROM gcc:13 AS build\nRUN make \\\n  all\nRUN echo done',
    );
    expect(outcome.locations).toEqual([{ path: 'Dockerfile', line: 2 }]);
  });

  it('tells a timeout from a cancel', async () => {
    const timeout = await build({ ok: false, reason: 'timeout', limitMs: 300_000, logTail: '', durationMs: 300_004 });
    expect(timeout.message).toBe('the build did not finish within 5 min 0 s; it was stopped after 5 min 0 s');
    const cancelled = await build({ ok: false, reason: 'cancelled', logTail: '', durationMs: 1_500 });
    expect(cancelled.message).toBe('the build was cancelled after 1.5 s');
  });

  it('fails an image over the size limit, however fast it built', async () => {
    const ctx = fakeContext(new FakeEngine(), {
      build: { ok: true, imageId: 'sha256:1', durationMs: 1_000, logTail: '' },
      withImage: true,
    });
    const huge = { ...ctx, image: { ref: 'sha256:1', info: imageInfo({ sizeBytes: 2.5 * 1024 ** 3 }) } };
    expect(await buildProbe.run(check<BuildSpec>({ kind: 'build' }), huge)).toEqual({
      status: 'failed',
      message: 'the image is 2.50 GiB, over the 2 GiB limit',
    });
    const fine = { ...ctx, image: { ref: 'sha256:1', info: imageInfo({ sizeBytes: 2 * 1024 ** 3 }) } };
    expect((await buildProbe.run(check<BuildSpec>({ kind: 'build' }), fine)).status).toBe('passed');
  });

  it('throws when there was no build (an orchestration bug, not the student)', async () => {
    await expect(buildProbe.run(check<BuildSpec>({ kind: 'build' }), fakeContext(new FakeEngine()))).rejects.toThrow();
  });
});

const NODE_PASSWD = 'root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000::/home/node:/bin/sh\n';

function image(spec: Omit<ImageSpec, 'kind'>, info = imageInfo(), passwd = NODE_PASSWD) {
  const engine = new FakeEngine();
  engine.images.set('grader-test:latest', info);
  engine.files.set('grader-test:latest:/etc/passwd', { kind: 'file', content: Buffer.from(passwd), truncated: false });
  return imageProbe.run(check<ImageSpec>({ kind: 'image', ...spec }), fakeContext(engine, { withImage: true }));
}

describe('image probe', () => {
  const good = imageInfo({
    sizeBytes: 120_000_000,
    user: 'node',
    exposedPorts: [3000],
    env: { PORT: '3000', NODE_ENV: 'production' },
    labels: { maintainer: 'kim' },
    workdir: '/app',
    entrypoint: ['node'],
    cmd: ['app.js'],
    healthcheck: true,
    layers: 8,
  });

  it('passes when every key holds', async () => {
    const outcome = await image(
      {
        maxSizeBytes: 250_000_000,
        user: 'non-root',
        exposes: [3000],
        env: { PORT: '3000' },
        labels: { maintainer: 'kim' },
        workdir: '/app/',
        entrypoint: ['node'],
        cmd: ['app.js'],
        healthcheck: true,
        maxLayers: 10,
      },
      good,
    );
    expect(outcome.status, outcome.message).toBe('passed');
  });

  it('lists every mismatch, with human sizes', async () => {
    const outcome = await image(
      {
        maxSizeBytes: 100_000_000,
        user: 'non-root',
        exposes: [8080],
        env: { PORT: '8080', MISSING: 'x' },
        cmd: ['server.js'],
        healthcheck: true,
        maxLayers: 5,
      },
      imageInfo({ sizeBytes: 312_000_000, user: '', exposedPorts: [3000], env: { PORT: '3000' }, cmd: ['node', 'app.js'], layers: 12 }),
    );
    expect(outcome.status).toBe('failed');
    const m = outcome.message;
    expect(m).toContain('the image is 312 MB, over the 100 MB limit');
    expect(m).toContain('runs as root (no USER set)');
    expect(m).toContain('port 8080 is not EXPOSEd (the image exposes 3000)');
    expect(m).toContain('ENV PORT is "3000" (expected "8080")');
    expect(m).toContain('ENV MISSING is not set');
    expect(m).toContain('CMD is ["node","app.js"], expected ["server.js"]');
    expect(m).toContain('no HEALTHCHECK');
    expect(m).toContain('12 layers');
    expect(outcome.expected).toContain('size at most 100 MB');
    expect(outcome.actual).toContain('size 312 MB');
  });

  it.each(['root', '0', '0:0', 'root:staff', '00', '00:00', '+0', ':1000'])('treats user %s as root', async (user) => {
    expect((await image({ user: 'non-root' }, imageInfo({ user }))).status).toBe('failed');
  });

  it("looks a user name up in the image's /etc/passwd", async () => {
    const disguised = await image(
      { user: 'non-root', exposes: [3000] },
      imageInfo({ user: 'app', exposedPorts: [3000] }),
      `${NODE_PASSWD}app:x:0:0::/:/bin/sh\n`,
    );
    expect(disguised.status).toBe('failed');
    expect(disguised.message).toBe(
      'the image runs as user "app", which is uid 0 (root) in the image\'s /etc/passwd (line 3); set a non-root USER',
    );
    expect(disguised.actual).toBe('user "app" (uid 0 in /etc/passwd)\nexposes 3000');
    const missing = await image({ user: 'non-root' }, imageInfo({ user: 'app' }));
    expect(missing.status).toBe('failed');
    expect(missing.message).toContain('user "app" does not exist in the image\'s /etc/passwd');
    const node = await image({ user: 'non-root' }, imageInfo({ user: 'node:0' }));
    expect(node.status, node.message).toBe('passed');
    expect(node.message).toBe('the image matches: user "node:0" (uid 1000 in /etc/passwd)');
  });

  it('accepts a named user with a group', async () => {
    expect((await image({ user: 'app' }, imageInfo({ user: 'app:app' }))).status).toBe('passed');
    expect((await image({ user: 'app' }, imageInfo({ user: 'node' }))).status).toBe('failed');
  });
});
