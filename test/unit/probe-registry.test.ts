import { describe, expect, it } from 'vitest';
import { probes } from '../../src/probes/registry.js';

describe('probe registry', () => {
  it('maps every kind to its probe and stage', () => {
    for (const [kind, probe] of Object.entries(probes)) expect(probe.kind).toBe(kind);
    expect(probes.dockerfile.stage({ kind: 'dockerfile', rule: 'expose' })).toBe('repo');
    expect(probes.build.stage({ kind: 'build' })).toBe('image');
    expect(probes.image.stage({ kind: 'image' })).toBe('image');
    expect(probes.run.stage({ kind: 'run', args: [], env: {}, exitCode: 0 })).toBe('image');
    expect(probes.tcp.stage({ kind: 'tcp' })).toBe('service');
    expect(probes.exec.stage({ kind: 'exec', command: ['true'], exitCode: 0 })).toBe('service');
    expect(probes.logs.stage({ kind: 'logs', matcher: {} })).toBe('service');
    expect(probes.stop.stage({ kind: 'stop', withinMs: 1 })).toBe('service');
  });
});
