import { describe, expect, it } from 'vitest';
import { Scheduler, placementOf, type Gate } from '../../src/core/scheduler.js';
import type { CheckResult } from '../../src/basics/results.js';
import type { Stage, StageContext } from '../../src/probes/probe.js';
import type { Check, CheckSpec } from '../../src/rubric/model.js';

function check(name: string, spec: CheckSpec, required = false): Check {
  return { id: name, name, points: 1, required, visibility: 'visible', spec };
}

const ctx = {} as StageContext;
const open: Gate = { ctx };

function result(c: Check, status: CheckResult['status']): CheckResult {
  return {
    id: c.id,
    name: c.name,
    kind: c.spec.kind,
    status,
    points: status === 'passed' ? 1 : 0,
    max_points: 1,
    message: status,
    duration_ms: 0,
  };
}

/** Runs every stage with an open gate; `outcomes` decides each check's status; records start/finish order. */
async function runAll(checks: Check[], outcomes: Record<string, CheckResult['status']> = {}, gates: Partial<Record<Stage, Gate>> = {}) {
  const events: string[] = [];
  const scheduler = new Scheduler(checks, checks.map(placementOf), (c, message, output) => ({
    ...result(c, 'failed'),
    message,
    ...(output ? { output } : {}),
  }));
  const runner = async (c: Check) => {
    events.push(`start ${c.name}`);
    await new Promise((r) => setImmediate(r));
    events.push(`end ${c.name}`);
    return result(c, outcomes[c.name] ?? 'passed');
  };
  for (const stage of ['repo', 'image', 'service'] as const) {
    const gate = gates[stage] ?? open;
    scheduler.runStage(stage, () => Promise.resolve(gate), runner);
  }
  return { results: await scheduler.results(), events };
}

describe('Scheduler', () => {
  it('keeps rubric order whatever the stages', async () => {
    const checks = [check('web', { kind: 'tcp' }), check('file', { kind: 'file', path: 'x', in: 'repo' }), check('img', { kind: 'build' })];
    const { results } = await runAll(checks);
    expect(results.map((r) => r.name)).toEqual(['web', 'file', 'img']);
    expect(results.every((r) => r.status === 'passed')).toBe(true);
  });

  it('skips later checks of the same or a later stage when a required check fails, naming it', async () => {
    const checks = [
      check('lint', { kind: 'dockerfile', rule: 'expose' }),
      check('builds', { kind: 'build' }, true),
      check('size', { kind: 'image', maxSizeBytes: 1 }),
      check('late-file', { kind: 'file', path: 'x', in: 'repo' }),
      check('port', { kind: 'tcp' }),
    ];
    const { results } = await runAll(checks, { builds: 'failed' });
    expect(results.map((r) => r.status)).toEqual(['passed', 'failed', 'skipped', 'passed', 'skipped']);
    expect(results[2]!.message).toContain('"builds"');
  });

  it('does not skip checks that come before the required one', async () => {
    const checks = [
      check('port', { kind: 'tcp' }),
      check('ping', { kind: 'http', path: '/', method: 'GET', headers: {}, status: 200, responseHeaders: {} }, true),
      check('after', { kind: 'tcp' }),
    ];
    const { results } = await runAll(checks, { ping: 'failed' });
    expect(results.map((r) => r.status)).toEqual(['passed', 'failed', 'skipped']);
  });

  it('runs logs after requests and stop last, even when the rubric lists them first', async () => {
    const checks = [
      check('stop', { kind: 'stop', withinMs: 5000 }),
      check('logs', { kind: 'logs', matcher: { contains: 'x' } }),
      check('ping', { kind: 'tcp' }),
      check('exec1', { kind: 'exec', command: ['true'], exitCode: 0 }),
      check('exec2', { kind: 'exec', command: ['true'], exitCode: 0 }),
    ];
    const { events } = await runAll(checks);
    const at = (e: string) => events.indexOf(e);
    expect(at('start logs')).toBeGreaterThan(at('end ping'));
    expect(at('start logs')).toBeGreaterThan(at('end exec2'));
    expect(at('start exec2')).toBeGreaterThan(at('end exec1'));
    expect(at('start stop')).toBeGreaterThan(at('end logs'));
  });

  it('runs independent checks concurrently', async () => {
    const checks = [check('a', { kind: 'tcp' }), check('b', { kind: 'tcp' }), check('c', { kind: 'file', path: 'x', in: 'repo' })];
    const { events } = await runAll(checks);
    expect(events.indexOf('start b')).toBeLessThan(events.indexOf('end a'));
  });

  it('reports checks behind an unavailable stage as skipped or failed with the reason, output once', async () => {
    const checks = [
      check('builds', { kind: 'build' }),
      check('size', { kind: 'image' }),
      check('p1', { kind: 'tcp' }),
      check('p2', { kind: 'tcp' }),
    ];
    const { results } = await runAll(
      checks,
      {},
      {
        service: { ctx, unavailable: { reason: 'the service crashed', output: 'last lines', kinds: ['service'], asFailure: true } },
      },
    );
    expect(results.map((r) => r.status)).toEqual(['passed', 'passed', 'failed', 'failed']);
    expect(results[2]).toMatchObject({ message: 'the service crashed', output: 'last lines' });
    expect(results[3]!.output).toBeUndefined();

    const noImage = await runAll(
      checks,
      {},
      {
        image: { ctx, unavailable: { reason: 'the image did not build', kinds: ['image', 'service'] } },
        service: { ctx, unavailable: { reason: 'the image did not build', kinds: ['image', 'service'] } },
      },
    );
    // The build check itself still runs: it is the one that reports the failure.
    expect(noImage.results.map((r) => r.status)).toEqual(['passed', 'skipped', 'skipped', 'skipped']);
  });

  it('answers whether any check of later stages may still run', async () => {
    const checks = [check('df', { kind: 'file', path: 'Dockerfile', in: 'repo' }, true), check('b', { kind: 'build' })];
    const scheduler = new Scheduler(checks, checks.map(placementOf), () => {
      throw new Error('unused');
    });
    await Promise.all(
      scheduler.runStage(
        'repo',
        () => Promise.resolve(open),
        async (c) => result(c, 'failed'),
      ),
    );
    expect(scheduler.anyPending(['image', 'service'])).toBe(false);
    const results = await scheduler.results();
    expect(results[1]).toMatchObject({ status: 'skipped', message: expect.stringContaining('"df"') });
  });
});
