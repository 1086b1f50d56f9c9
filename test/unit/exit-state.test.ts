import type Dockerode from 'dockerode';
import { describe, expect, it } from 'vitest';
import { exitState } from '../../src/engine/container/exit-state.js';

/** A container whose engine learns of the memory limit's kill only at the `lateBy`-th look. */
function container(exitCode: number, lateBy: number): { container: Dockerode.Container; looks: () => number } {
  let looks = 0;
  const fake = {
    inspect: async () => {
      looks += 1;
      return { State: { ExitCode: exitCode, OOMKilled: looks >= lateBy } };
    },
  };
  return { container: fake as unknown as Dockerode.Container, looks: () => looks };
}

describe('exitState', () => {
  it('waits for a late out-of-memory flag after a SIGKILL nobody here sent', async () => {
    const { container: c } = container(137, 3);
    expect((await exitState(c, { killedByGrader: false })).OOMKilled).toBe(true);
  });

  it('waits for it, more briefly, after any exit nobody asked for: the limit killed a child and the shell went on', async () => {
    const { container: c } = container(0, 2);
    expect((await exitState(c, { killedByGrader: false, exitedByItself: true })).OOMKilled).toBe(true);
  });

  it('asks once when the exit was asked for, or the grader killed it', async () => {
    const asked = container(0, 2);
    expect((await exitState(asked.container, { killedByGrader: false, exitedByItself: false })).OOMKilled).toBe(false);
    expect(asked.looks()).toBe(1);
    const killed = container(137, 2);
    expect((await exitState(killed.container, { killedByGrader: true })).OOMKilled).toBe(false);
    expect(killed.looks()).toBe(1);
  });

  it('gives up after a while when no such flag comes', async () => {
    const { container: c, looks } = container(0, Number.POSITIVE_INFINITY);
    const started = Date.now();
    expect((await exitState(c, { killedByGrader: false, exitedByItself: true })).OOMKilled).toBe(false);
    expect(looks()).toBeGreaterThan(1);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
