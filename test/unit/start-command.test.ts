/**
 * An image with nothing to start (no ENTRYPOINT, no CMD, no command from the rubric):
 * the service checks and `run` checks fail with one sentence, whether the grader sees it
 * in the image's config first or the engine refuses the container.
 */
import { describe, expect, it } from 'vitest';
import { startServiceAndWait } from '../../src/core/service-start.js';
import type { RunRequest, ServiceRequest } from '../../src/engine/engine.js';
import { NOTHING_TO_START, NoCommandError, hasStartCommand, isNoCommandRefusal } from '../../src/engine/container/start-command.js';
import { runProbe } from '../../src/probes/kinds/run.js';
import type { RunSpec } from '../../src/rubric/model.js';
import { FakeEngine, check, fakeContext, imageInfo, testRubric } from '../helpers/fake-engine.js';

const NOTHING = imageInfo({ entrypoint: null, cmd: [] });

describe('hasStartCommand', () => {
  it('needs a non-empty ENTRYPOINT, CMD or command from the grader', () => {
    expect(hasStartCommand({ entrypoint: null, cmd: null })).toBe(false);
    expect(hasStartCommand({ entrypoint: [], cmd: [] })).toBe(false);
    expect(hasStartCommand({ entrypoint: [], cmd: [] }, [])).toBe(false);
    expect(hasStartCommand({ entrypoint: null, cmd: ['sh'] })).toBe(true);
    expect(hasStartCommand({ entrypoint: ['/app'], cmd: [] })).toBe(true);
    expect(hasStartCommand({ entrypoint: null, cmd: [] }, ['node', 'app.js'])).toBe(true);
  });

  it("recognises the engine's refusal, and only that", () => {
    const refusal = Object.assign(new Error('(HTTP code 400) unexpected - No command specified '), { statusCode: 400 });
    expect(isNoCommandRefusal(refusal)).toBe(true);
    expect(isNoCommandRefusal(Object.assign(new Error('No command specified'), { statusCode: 500 }))).toBe(false);
    expect(isNoCommandRefusal(Object.assign(new Error('invalid reference format'), { statusCode: 400 }))).toBe(false);
  });
});

class CountingEngine extends FakeEngine {
  starts: ServiceRequest[] = [];
  refuse = false;
  override async startService(request: ServiceRequest) {
    this.starts.push(request);
    if (this.refuse) throw new NoCommandError();
    return super.startService(request);
  }
  override async runOnce(request: RunRequest) {
    if (this.refuse) throw new NoCommandError();
    return super.runOnce(request);
  }
}

describe('the service of an image with nothing to start', () => {
  const signal = new AbortController().signal;

  it('is not ready, with the sentence, and the engine is not asked', async () => {
    const engine = new CountingEngine();
    const start = await startServiceAndWait(engine, NOTHING, testRubric(), {}, signal);
    expect(start).toEqual({ ready: false, message: NOTHING_TO_START });
    expect(engine.starts).toEqual([]);
  });

  it("starts with the rubric's command", async () => {
    const engine = new CountingEngine();
    const rubric = testRubric({ service: { env: {}, command: ['sh', '-c', 'sleep 1'], ready: { timeoutMs: 1_000 } } });
    engine.service.exit = { exitCode: 0, oomKilled: false };
    await startServiceAndWait(engine, NOTHING, rubric, {}, signal);
    expect(engine.starts.map((s) => s.command)).toEqual([['sh', '-c', 'sleep 1']]);
  });

  it("says the same when only the engine's refusal tells", async () => {
    const engine = new CountingEngine();
    engine.refuse = true;
    expect(await startServiceAndWait(engine, imageInfo(), testRubric(), {}, signal)).toEqual({ ready: false, message: NOTHING_TO_START });
  });
});

describe('a run check of an image with nothing to start', () => {
  const spec: RunSpec = { kind: 'run', args: [], env: {}, exitCode: 0 };

  it('fails with the sentence without running anything', async () => {
    const engine = new FakeEngine();
    engine.images.set('grader-test:latest', NOTHING);
    const outcome = await runProbe.run(check(spec), fakeContext(engine, { withImage: true }));
    expect(outcome).toEqual({ status: 'failed', message: `docker run IMAGE: ${NOTHING_TO_START}` });
    expect(engine.runCalls).toEqual([]);
  });

  it('runs when its arguments are the command', async () => {
    const engine = new FakeEngine();
    engine.images.set('grader-test:latest', NOTHING);
    const outcome = await runProbe.run(check({ ...spec, args: ['echo', 'hi'] }), fakeContext(engine, { withImage: true }));
    expect(outcome.status).toBe('passed');
    expect(engine.runCalls.map((r) => r.args)).toEqual([['echo', 'hi']]);
  });

  it("fails with the sentence when only the engine's refusal tells", async () => {
    const engine = new CountingEngine();
    engine.refuse = true;
    const outcome = await runProbe.run(check(spec), fakeContext(engine, { withImage: true }));
    expect(outcome).toEqual({ status: 'failed', message: `docker run IMAGE: ${NOTHING_TO_START}` });
  });
});
