import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineUnavailableError } from '../../src/basics/errors.js';
import { grade, gradeThenCleanUp } from '../../src/core/grade.js';
import { watchdogBudgetMs } from '../../src/core/watchdog.js';
import type { Rubric } from '../../src/rubric/model.js';
import { silentLogger } from '../../src/basics/logger.js';
import { STALE_AFTER_MS } from '../../src/engine/engine.js';
import { FakeEngine, check, imageInfo, testRubric } from '../helpers/fake-engine.js';

let repo: string;
let server: net.Server;
let serverPort: number;
const sockets = new Set<net.Socket>();

beforeAll(async () => {
  repo = mkdtempSync(path.join(os.tmpdir(), 'grader-grade-'));
  writeFileSync(path.join(repo, 'Dockerfile'), 'FROM busybox:1.35\nEXPOSE 8080\nCMD ["httpd", "-f"]\n');
  // Keeps connections open, as an app would: readiness through a loopback proxy waits to see that.
  server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  serverPort = (server.address() as net.AddressInfo).port;
});

afterAll(() => {
  rmSync(repo, { recursive: true, force: true });
  sockets.forEach((s) => s.destroy());
  server.close();
});

class RecordingEngine extends FakeEngine {
  pings = 0;
  cleanups: string[] = [];
  down = false;
  override async ping() {
    this.pings++;
    if (this.down) throw new EngineUnavailableError('cannot reach the Docker Engine at /var/run/docker.sock: connect ENOENT');
    return super.ping();
  }
  override async cleanup(runId: string) {
    this.cleanups.push(runId);
  }
}

function engineWithImage(): RecordingEngine {
  const engine = new RecordingEngine();
  engine.images.set('sha256:fake', imageInfo({ exposedPorts: [8080] }));
  engine.service.ports.set(8080, { host: '127.0.0.1', port: serverPort });
  return engine;
}

const submission = () => ({ dir: repo, source: repo });

function rubricWith(partial: Partial<Rubric>): Rubric {
  return testRubric({ ...partial, service: { env: {}, ready: { timeoutMs: 2_000 } } });
}

describe('grade', () => {
  it('grades a repo-only rubric without touching the engine', async () => {
    const engine = engineWithImage();
    engine.down = true;
    const result = await grade({
      rubric: rubricWith({ checks: [check({ kind: 'file', path: 'Dockerfile', in: 'repo' })] }),
      submission: submission(),
      engine,
    });
    expect(result).toMatchObject({ status: 'graded', score: 1, max_score: 1, percent: 100, passed: true });
    expect(engine.pings).toBe(0);
  });

  it('is ungradable, with no score, when the engine is down', async () => {
    const engine = engineWithImage();
    engine.down = true;
    const rubric = rubricWith({ pass: 50, checks: [check({ kind: 'file', path: 'Dockerfile', in: 'repo' }), check({ kind: 'build' })] });
    const result = await grade({ rubric, submission: submission(), engine });
    expect(result.status).toBe('ungradable');
    expect(result.score).toBeNull();
    expect(result.percent).toBeNull();
    expect(result.passed).toBe(false);
    expect(result.reason).toContain('/var/run/docker.sock');
    expect(result.checks.every((c) => c.status === 'error')).toBe(true);
  });

  it('runs every stage, scores, applies the pass mark and cleans up the run', async () => {
    const engine = engineWithImage();
    const rubric = rubricWith({
      pass: 60,
      checks: [
        check({ kind: 'build' }, { id: 'b', points: 5 }),
        check({ kind: 'image', user: 'non-root' }, { id: 'u', points: 2 }),
        check({ kind: 'tcp' }, { id: 't', points: 3 }),
      ],
    });
    const result = await grade({ rubric, submission: submission(), engine, runId: 'run1' });
    expect(result.checks.map((c) => [c.id, c.status])).toEqual([
      ['b', 'passed'],
      ['u', 'failed'],
      ['t', 'passed'],
    ]);
    expect(result).toMatchObject({ score: 8, max_score: 10, percent: 80, pass_threshold: 60, passed: true });
    expect(engine.cleanups).toEqual(['run1']);

    const stricter = await grade({ rubric, submission: submission(), engine, passThreshold: 90 });
    expect(stricter).toMatchObject({ pass_threshold: 90, passed: false });
  });

  it('says where it looked when the Dockerfile is missing, and skips what needs the image', async () => {
    const engine = engineWithImage();
    const rubric = rubricWith({
      build: { dockerfile: 'docker/Dockerfile', context: '.', args: {}, timeoutMs: 1000 },
      checks: [check({ kind: 'build' }), check({ kind: 'tcp' })],
    });
    const result = await grade({ rubric, submission: submission(), engine });
    expect(result.checks[0]!.status).toBe('failed');
    expect(result.checks[0]!.message).toMatch(/no Dockerfile at "docker\/Dockerfile" \(looked in .*docker\)/);
    expect(result.checks[1]).toMatchObject({ status: 'skipped', message: expect.stringContaining('did not build') });
    expect(result.build).toMatchObject({ ok: false });
  });

  it('fails service checks with the crash and the last log lines when the service exits early', async () => {
    const engine = engineWithImage();
    engine.service.exit = { exitCode: 3, oomKilled: false };
    engine.service.logText = 'starting\nError: cannot find module express\n';
    engine.service.ports.clear();
    const rubric = rubricWith({ checks: [check({ kind: 'tcp' }, { id: 'a' }), check({ kind: 'tcp' }, { id: 'b' })] });
    const result = await grade({ rubric, submission: submission(), engine });
    expect(result.checks[0]).toMatchObject({ status: 'failed', message: expect.stringContaining('exited with code 3') });
    expect(result.checks[0]!.output).toContain('cannot find module express');
    expect(result.checks[1]).toMatchObject({ status: 'failed' });
    expect(result.checks[1]!.output).toBeUndefined();
  });

  it('reports a service that never listens as never ready, with a hint', async () => {
    const engine = engineWithImage();
    engine.service.ports.clear();
    const rubric = rubricWith({ checks: [check({ kind: 'tcp' })] });
    const started = Date.now();
    const result = await grade({ rubric, submission: submission(), engine });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(result.checks[0]!.message).toMatch(/never became ready within 2\.0 s: nothing accepted connections on port 8080/);
  });

  it('says a service that never became ready hit its process limit, rather than blaming the port', async () => {
    const engine = engineWithImage();
    engine.service.ports.clear();
    engine.service.pidsHit = true;
    const result = await grade({ rubric: rubricWith({ checks: [check({ kind: 'tcp' })] }), submission: submission(), engine });
    expect(result.checks[0]!.message).toBe(
      'the service never became ready within 2.0 s: it hit its process limit (256) — a fork bomb, or too many threads?',
    );
  });

  it('hides expected values and output of hidden checks, and shows after_due ones after the due date', async () => {
    const engine = engineWithImage();
    const due = new Date('2026-12-01T00:00:00Z');
    const rubric = rubricWith({
      due,
      checks: [
        check({ kind: 'image', user: 'non-root' }, { id: 'h', visibility: 'hidden', feedback: 'use USER' }),
        check({ kind: 'image', user: 'non-root' }, { id: 'd', visibility: 'after_due' }),
      ],
    });
    const before = await grade({ rubric, submission: submission(), engine, now: new Date('2026-11-28T00:00:00Z') });
    for (const c of before.checks) {
      expect(c).toMatchObject({ status: 'failed', hidden: true });
      expect(c.expected).toBeUndefined();
      expect(c.actual).toBeUndefined();
    }
    expect(before.checks[0]!.feedback).toBe('use USER');
    const after = await grade({ rubric, submission: submission(), engine, now: new Date('2026-12-02T00:00:00Z') });
    expect(after.checks[0]!.hidden).toBe(true);
    expect(after.checks[1]!.hidden).toBeUndefined();
    expect(after.checks[1]!.message).not.toBe(before.checks[1]!.message);
  });

  it('marks a check whose probe throws as an error, not a failure, and keeps grading', async () => {
    const engine = engineWithImage();
    engine.runHandler = () => {
      throw new Error('boom');
    };
    const rubric = rubricWith({ checks: [check({ kind: 'run', args: [], env: {}, exitCode: 0 }), check({ kind: 'build' })] });
    const result = await grade({ rubric, submission: submission(), engine });
    expect(result.checks[0]).toMatchObject({ status: 'error', message: expect.stringContaining('boom') });
    expect(result.checks[1]!.status).toBe('passed');
    expect(result.status).toBe('graded');
  });

  it('turns an engine that disappears mid-run into an ungradable result', async () => {
    const engine = engineWithImage();
    engine.runHandler = () => {
      throw new EngineUnavailableError('the Docker Engine stopped answering');
    };
    const rubric = rubricWith({ checks: [check({ kind: 'run', args: [], env: {}, exitCode: 0 })] });
    const result = await grade({ rubric, submission: submission(), engine });
    expect(result).toMatchObject({ status: 'ungradable', score: null, reason: 'the Docker Engine stopped answering' });
  });

  it('gives up on a hung engine when the watchdog fires: ungradable, cleaned up', async () => {
    const engine = engineWithImage();
    engine.build = () => new Promise(() => {});
    const rubric = rubricWith({ checks: [check({ kind: 'build' })] });
    const result = await grade({ rubric, submission: submission(), engine, runId: 'hung', watchdogMs: 300 });
    expect(result).toMatchObject({ status: 'ungradable', score: null });
    expect(result.reason).toMatch(/presumed hung/);
    expect(engine.cleanups).toEqual(['hung']);
  });

  it('fails the build check of an image over the size limit and skips what needs the image', async () => {
    const engine = engineWithImage();
    engine.images.set('sha256:fake', imageInfo({ exposedPorts: [8080], sizeBytes: 3 * 1024 ** 3 }));
    engine.buildOutcome = { ok: true, imageId: 'sha256:fake', durationMs: 1000, logTail: 'built' };
    const rubric = rubricWith({
      checks: [check({ kind: 'build' }, { id: 'b' }), check({ kind: 'image' }, { id: 'i' }), check({ kind: 'tcp' }, { id: 't' })],
    });
    const result = await grade({ rubric, submission: submission(), engine });
    expect(result.checks.map((c) => [c.id, c.status, c.message])).toEqual([
      ['b', 'failed', 'the image is 3.00 GiB, over the 2 GiB limit'],
      ['i', 'skipped', 'the image did not build: the image is 3.00 GiB, over the 2 GiB limit'],
      ['t', 'skipped', 'the image did not build: the image is 3.00 GiB, over the 2 GiB limit'],
    ]);
    expect(result.build).toEqual({ ok: false, duration_ms: 1000, log_tail: 'built' });
  });

  it('words a failed build once, in the build check and in what the skipped checks say, and keeps the log in the summary', async () => {
    const engine = engineWithImage();
    engine.buildOutcome = {
      ok: false,
      reason: 'failed',
      error: 'process "/bin/sh -c exit 3" did not complete successfully: exit code: 3',
      failingStep: '[2/3] CMD ["httpd", "-f"]',
      logTail: 'the log',
      durationMs: 10,
    };
    const rubric = rubricWith({ checks: [check({ kind: 'build' }, { id: 'b' }), check({ kind: 'image' }, { id: 'i' })] });
    const result = await grade({ rubric, submission: submission(), engine });
    const sentence = '[2/3] CMD ["httpd", "-f"] (line 3) failed: process "/bin/sh -c exit 3" did not complete successfully: exit code: 3';
    expect(result.checks[0]).toMatchObject({ status: 'failed', message: sentence, location: { path: 'Dockerfile', line: 3 } });
    expect(result.checks[0]!.output).toBeUndefined();
    expect(result.checks[1]).toMatchObject({ status: 'skipped', message: `the image did not build: ${sentence}` });
    expect(result.build).toEqual({ ok: false, duration_ms: 10, failing_step: '[2/3] CMD ["httpd", "-f"]', log_tail: 'the log' });
  });

  it('hands the result back before the clean-up has finished, and says when it has', async () => {
    let finishCleanup!: () => void;
    class SlowCleanup extends RecordingEngine {
      override cleanup(runId: string): Promise<void> {
        this.cleanups.push(runId);
        return new Promise((resolve) => (finishCleanup = resolve));
      }
    }
    const engine = new SlowCleanup();
    engine.images.set('sha256:fake', imageInfo());
    const rubric = rubricWith({ checks: [check({ kind: 'build' })] });
    const { result, cleanedUp } = await gradeThenCleanUp({ rubric, submission: submission(), engine, runId: 'early' });
    expect(result).toMatchObject({ status: 'graded', score: 1 });
    expect(engine.cleanups).toEqual(['early']);
    let done = false;
    void cleanedUp.then(() => (done = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(done).toBe(false);
    finishCleanup();
    await cleanedUp;
    expect(done).toBe(true);
  });

  it('sweeps leftovers of crashed runs beside its own clean-up, not before the build, and waits for the sweep', async () => {
    const events: string[] = [];
    let finishSweep!: (swept: number) => void;
    class Sweeping extends RecordingEngine {
      override async build(request: Parameters<FakeEngine['build']>[0]) {
        events.push('build');
        return super.build(request);
      }
      override async cleanup(runId: string) {
        events.push('cleanup');
        return super.cleanup(runId);
      }
      override sweepStale(olderThanMs: number): Promise<number> {
        events.push(`sweep ${olderThanMs}`);
        return new Promise((resolve) => (finishSweep = resolve));
      }
    }
    const engine = new Sweeping();
    engine.images.set('sha256:fake', imageInfo());
    const logged: string[] = [];
    const logger = { ...silentLogger, info: (message: string) => logged.push(message) };
    const { cleanedUp } = await gradeThenCleanUp({
      rubric: rubricWith({ checks: [check({ kind: 'build' })] }),
      submission: submission(),
      engine,
      logger,
    });
    expect(events).toEqual(['build', 'cleanup', `sweep ${STALE_AFTER_MS}`]);
    let done = false;
    void cleanedUp.then(() => (done = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(done).toBe(false);
    finishSweep(2);
    await cleanedUp;
    expect(logged).toContain('removed 2 leftovers of earlier runs');
  });

  it('puts the commit, learnt while grading, in the result', async () => {
    const engine = engineWithImage();
    let learn!: (revision: { commit: string; committedAt: string }) => void;
    const revision = new Promise<{ commit: string; committedAt: string }>((resolve) => (learn = resolve));
    const grading = grade({
      rubric: rubricWith({ checks: [check({ kind: 'build' })] }),
      submission: { ...submission(), revision },
      engine,
    });
    await new Promise((resolve) => setImmediate(resolve));
    learn({ commit: 'a'.repeat(40), committedAt: '2026-11-01T10:00:00.000Z' });
    expect((await grading).submission).toEqual({ source: repo, commit: 'a'.repeat(40), committed_at: '2026-11-01T10:00:00.000Z' });
  });

  it('budgets the watchdog as the sum of the stage limits', () => {
    const rubric = rubricWith({ checks: [check({ kind: 'build' }, { timeoutMs: 1000 }), check({ kind: 'tcp' }, { timeoutMs: 2000 })] });
    // build 300 s + ready 2 s + checks (1 + 2 s, each with 15 s grace) + 60 s slack
    expect(watchdogBudgetMs(rubric)).toBe(300_000 + 2_000 + 1_000 + 2_000 + 30_000 + 60_000);
  });
});
