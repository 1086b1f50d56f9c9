/**
 * Hostile submissions that go after the machine's resources: fork bomb, memory hog, CPU
 * spinner, a CLI that never exits, a service that never listens, disk fillers (straight,
 * after many files, under a tree too deep to measure, into a VOLUME path). Each is
 * graded on the real engine with small limits, and must end in a clear failed check,
 * within its limits plus a few seconds, leaving nothing behind.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ContainerEngine } from '../../src/engine/engine.js';
import { engine as connectEngine, expectNothingLeft } from '../helpers/docker.js';
import { SMALL_LIMITS, check, fixture, gradeHostile } from '../helpers/hostile.js';

let engine: ContainerEngine;

beforeAll(async () => {
  engine = await connectEngine();
});

/** Seconds the engine and the build may add on top of the configured limit. */
const SLACK_MS = 15_000;

describe('hostile submissions: resource limits', () => {
  it('stops a fork bomb in a one-shot run at the process limit, and says so', async () => {
    const { result, runId, wallMs } = await gradeHostile(
      engine,
      fixture('fork-bomb'),
      `
rubric: 1
title: fork bomb
${SMALL_LIMITS}
checks:
  - { id: build, name: builds, build: {} }
  - { id: bomb, name: runs, timeout: 3s, run: { args: [] } }
`,
    );
    expect(check(result, 'build').status).toBe('passed');
    const bomb = check(result, 'bomb');
    expect(bomb.status).toBe('failed');
    expect(bomb.message).toMatch(/process limit/i);
    expect(bomb.message).not.toMatch(/at .*\.(ts|js):\d+/); // a plain message, not a stack trace
    expect(result.status).toBe('graded');
    expect(wallMs).toBeLessThan(3_000 + SLACK_MS);
    await expectNothingLeft(runId);
  });

  it('stops a fork bomb run as the service, and the report says it hit the process limit', async () => {
    const { result, runId, wallMs } = await gradeHostile(
      engine,
      fixture('fork-bomb'),
      `
rubric: 1
title: fork bomb service
${SMALL_LIMITS}
service: { port: 8080, ready: { timeout: 5s } }
checks:
  - { id: port, name: answers, tcp: {} }
`,
    );
    const port = check(result, 'port');
    expect(port.status).toBe('failed');
    // Usually the bomb keeps its shell alive until the timeout; under load a refused fork can end
    // the shell itself first. Either way the report names the limit.
    expect(port.message).toMatch(/never became ready within 5\.0 s|crashed before it was ready/);
    expect(port.message).toMatch(/process limit/i);
    expect(result.status).toBe('graded');
    expect(wallMs).toBeLessThan(5_000 + SLACK_MS);
    await expectNothingLeft(runId);
  });

  it('reports a memory hog run as out of memory', async () => {
    const { result, runId, wallMs } = await gradeHostile(
      engine,
      fixture('memory-hog'),
      `
rubric: 1
title: memory hog
${SMALL_LIMITS}
checks:
  - { id: hog, name: runs, timeout: 3s, run: { args: [], stdout: survived } }
`,
    );
    const hog = check(result, 'hog');
    expect(hog.status).toBe('failed');
    expect(hog.message).toMatch(/out of memory/);
    // dd is the one killed; the shell around it may live on, so the verdict must come from the engine, not the exit code.
    expect(hog.output).toContain('allocating');
    expect(wallMs).toBeLessThan(3_000 + SLACK_MS);
    await expectNothingLeft(runId);
  });

  it('reports a memory hog service as out of memory at once, not after the ready timeout', async () => {
    const { result, runId, wallMs } = await gradeHostile(
      engine,
      fixture('memory-hog'),
      `
rubric: 1
title: memory hog service
${SMALL_LIMITS}
service: { ready: { timeout: 5s } }
checks:
  - { id: port, name: answers, tcp: {} }
`,
    );
    const port = check(result, 'port');
    expect(port.status).toBe('failed');
    expect(port.message).toMatch(/out of memory/);
    expect(port.message).toMatch(/64 MiB/);
    expect(port.output).toContain('allocating');
    expect(wallMs).toBeLessThan(5_000 + SLACK_MS);
    await expectNothingLeft(runId);
  });

  it('kills a CPU spinner at its time limit, within a bounded wall time', async () => {
    const { result, runId, wallMs } = await gradeHostile(
      engine,
      fixture('cpu-spinner'),
      `
rubric: 1
title: cpu spinner
${SMALL_LIMITS}
checks:
  - { id: spin, name: runs, timeout: 3s, run: { args: [] } }
`,
    );
    const spin = check(result, 'spin');
    expect(spin.status).toBe('failed');
    expect(spin.message).toMatch(/time limit \(3\.0 s\) exceeded/);
    expect(spin.actual).toMatch(/killed/);
    expect(wallMs).toBeLessThan(3_000 + SLACK_MS);
    await expectNothingLeft(runId);
  });

  it('kills a CLI that never exits and ignores SIGTERM at its time limit, showing what it printed', async () => {
    const { result, runId, wallMs } = await gradeHostile(
      engine,
      fixture('never-exits'),
      `
rubric: 1
title: never exits
${SMALL_LIMITS}
checks:
  - { id: first, name: first run, timeout: 3s, run: { args: [] } }
  - { id: second, name: second run, timeout: 2s, run: { args: [] } }
`,
    );
    for (const [id, limit] of [
      ['first', '3\\.0'],
      ['second', '2\\.0'],
    ] as const) {
      const c = check(result, id);
      expect(c.status).toBe('failed');
      expect(c.message).toMatch(new RegExp(`time limit \\(${limit} s\\) exceeded`));
      expect(c.output).toContain('working...');
    }
    // Both runs are image-stage checks and may run concurrently; either way, bounded.
    expect(wallMs).toBeLessThan(3_000 + 2_000 + SLACK_MS);
    await expectNothingLeft(runId);
  });

  it('says a service that never listens never became ready, within the ready timeout, and skips nothing silently', async () => {
    const { result, runId, wallMs } = await gradeHostile(
      engine,
      fixture('never-listens'),
      `
rubric: 1
title: never listens
${SMALL_LIMITS}
service: { ready: { timeout: 5s } }
checks:
  - { id: port, name: answers, tcp: {} }
  - { id: page, name: home page, http: { path: / } }
  - { id: logs, name: logs, logs: starting up }
`,
    );
    const port = check(result, 'port');
    expect(port.status).toBe('failed');
    expect(port.message).toMatch(/the service never became ready within 5\.0 s: nothing accepted connections on port 8080/);
    expect(port.output).toContain('starting up...');
    // Every check that needed the service is a failure with the same reason, none passes by accident.
    expect(check(result, 'page').status).toBe('failed');
    expect(check(result, 'page').message).toMatch(/never became ready/);
    expect(check(result, 'logs').status).toBe('failed');
    expect(wallMs).toBeGreaterThanOrEqual(5_000);
    expect(wallMs).toBeLessThan(5_000 + SLACK_MS);
    await expectNothingLeft(runId);
  });

  it('stops a disk filler at the disk limit, and removes it with what it wrote', async () => {
    const { result, runId, wallMs } = await gradeHostile(
      engine,
      fixture('disk-filler'),
      `
rubric: 1
title: disk filler
# The watchdog polls, so a fast writer overshoots the limit by up to several hundred MB:
# a limit well below the 1.5 GiB written keeps "killed before it finished" a sure thing.
limits: { memory: 64m, pids: 64, disk: 200m }
checks:
  - { id: fill, name: runs, timeout: 20s, run: { args: [] } }
`,
    );
    const fill = check(result, 'fill');
    expect(fill.status).toBe('failed');
    expect(fill.output ?? '').not.toContain('filled');
    expect(fill.message).toMatch(/disk limit/i);
    expect(wallMs).toBeLessThan(20_000 + SLACK_MS);
    await expectNothingLeft(runId);
  });

  it('stops a container that makes many files before filling the disk, at the file ceiling', async () => {
    const { result, runId, wallMs } = await gradeHostile(
      engine,
      fixture('many-files'),
      `
rubric: 1
title: many files, then fill
limits: { memory: 64m, pids: 64, disk: 200m }
checks:
  - { id: fill, name: runs, timeout: 60s, run: { args: [] } }
`,
    );
    const fill = check(result, 'fill');
    expect(fill.status).toBe('failed');
    expect(fill.message).toMatch(/disk limit exceeded \(it made more than 50,000 files and directories inside the container/);
    // Killed while it was still making files: neither 300,000 of them nor the fill.
    expect(fill.output ?? '').not.toMatch(/made|filled/);
    expect(wallMs).toBeLessThan(30_000);
    await expectNothingLeft(runId);
  });

  it('stops a container that nests directories too deep to measure before filling the disk', async () => {
    const { result, runId, wallMs } = await gradeHostile(
      engine,
      fixture('deep-tree'),
      `
rubric: 1
title: deep tree, then fill
limits: { memory: 64m, pids: 64, disk: 200m }
checks:
  - { id: fill, name: runs, timeout: 30s, run: { args: [] } }
`,
    );
    const fill = check(result, 'fill');
    expect(fill.status).toBe('failed');
    expect(fill.message).toMatch(/disk limit exceeded \(it made more than .* or nested them too deep to measure/);
    expect(fill.output ?? '').not.toContain('filled');
    expect(wallMs).toBeLessThan(30_000);
    await expectNothingLeft(runId);
  });

  it('stops a container that fills a VOLUME path, which the writable layer does not hold', async () => {
    const { result, runId, wallMs } = await gradeHostile(
      engine,
      fixture('volume-filler'),
      `
rubric: 1
title: volume filler
# More memory than disk: the VOLUME is a tmpfs, whose pages count toward the memory limit too.
limits: { memory: 256m, pids: 64, disk: 64m }
checks:
  - { id: fill, name: runs, timeout: 30s, run: { args: [] } }
`,
    );
    const fill = check(result, 'fill');
    expect(fill.status).toBe('failed');
    expect(fill.message).toMatch(/disk limit exceeded \(it wrote too much inside the container/);
    expect(wallMs).toBeLessThan(30_000);
    await expectNothingLeft(runId);
  });
});
