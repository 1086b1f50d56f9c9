import { describe, expect, it } from 'vitest';
import { CHECK_KINDS } from '../../src/basics/check-kinds.js';
import { probes, timeLimitMs } from '../../src/probes/registry.js';
import { CHECK_KIND_KEYS } from '../../src/rubric/schema.js';
import { check } from '../helpers/fake-engine.js';

describe('probe registry', () => {
  it('has a probe for exactly the kinds of the one list and of the schema, in the same order', () => {
    expect(Object.keys(probes)).toEqual([...CHECK_KINDS]);
    expect([...CHECK_KIND_KEYS]).toEqual([...CHECK_KINDS]);
  });

  it('maps every kind to its probe and stage', () => {
    for (const [kind, probe] of Object.entries(probes)) expect(probe.kind).toBe(kind);
    expect(probes.dockerfile.stage({ kind: 'dockerfile', rule: 'expose' })).toBe('repo');
    expect(probes.file.stage({ kind: 'file', path: 'x', in: 'repo' })).toBe('repo');
    expect(probes.file.stage({ kind: 'file', path: 'x', in: 'image' })).toBe('image');
    expect(probes.build.stage({ kind: 'build' })).toBe('image');
    expect(probes.image.stage({ kind: 'image' })).toBe('image');
    expect(probes.run.stage({ kind: 'run', args: [], env: {}, exitCode: 0 })).toBe('image');
    expect(probes.tcp.stage({ kind: 'tcp' })).toBe('service');
    expect(probes.exec.stage({ kind: 'exec', command: ['true'], exitCode: 0 })).toBe('service');
    expect(probes.logs.stage({ kind: 'logs', matcher: {} })).toBe('service');
    expect(probes.stop.stage({ kind: 'stop', withinMs: 1 })).toBe('service');
  });

  it('says how each kind is scheduled, and that only the build reports its own stage being unreachable', () => {
    const schedules = Object.fromEntries(Object.entries(probes).map(([kind, probe]) => [kind, probe.schedule]));
    expect(schedules).toEqual({
      file: 'concurrent',
      dockerfile: 'concurrent',
      build: 'concurrent',
      image: 'concurrent',
      http: 'one-at-a-time',
      tcp: 'concurrent',
      exec: 'one-at-a-time',
      run: 'concurrent',
      logs: 'after-requests',
      stop: 'last',
    });
    const reporters = Object.values(probes)
      .filter((probe) => probe.reportsUnreachableStage)
      .map((probe) => probe.kind);
    expect(reporters).toEqual(['build']);
  });

  it("gives a check its own timeout, or else its probe's default", () => {
    expect(timeLimitMs(check({ kind: 'tcp' }))).toBe(probes.tcp.defaultTimeoutMs);
    expect(timeLimitMs(check({ kind: 'exec', command: ['true'], exitCode: 0 }))).toBe(probes.exec.defaultTimeoutMs);
    expect(timeLimitMs(check({ kind: 'tcp' }, { timeoutMs: 1234 }))).toBe(1234);
  });
});
