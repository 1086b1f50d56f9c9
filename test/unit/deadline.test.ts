import { describe, expect, it } from 'vitest';
import { settleWithin, startDeadline, within } from '../../src/basics/deadline.js';

const never = new Promise<never>(() => {});

function timers(): number {
  return process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
}

describe('within', () => {
  it('gives what the work gives when it is in time, and leaves no timer behind', async () => {
    const before = timers();
    expect(await within(Promise.resolve('done'), 60_000, () => 'late')).toBe('done');
    await expect(within(Promise.reject(new Error('broke')), 60_000, () => 'late')).rejects.toThrow('broke');
    expect(timers()).toBe(before);
  });

  it("gives onExpiry's answer, or its error, when the time runs out first", async () => {
    expect(await within(never, 5, () => 'late')).toBe('late');
    await expect(
      within(never, 5, () => {
        throw new Error('no answer');
      }),
    ).rejects.toThrow('no answer');
  });
});

describe('settleWithin', () => {
  it('says whether the promise settled in time, either way, and never rejects', async () => {
    expect(await settleWithin(Promise.resolve(), 60_000)).toBe(true);
    expect(await settleWithin(Promise.reject(new Error('x')), 60_000)).toBe(true);
    expect(await settleWithin(never, 5)).toBe(false);
  });
});

describe('startDeadline', () => {
  it('aborts when the time is up, and says so', async () => {
    const deadline = startDeadline(5);
    await new Promise((resolve) => deadline.signal.addEventListener('abort', resolve, { once: true }));
    expect(deadline.expired()).toBe(true);
    deadline.dispose();
  });

  it('aborts with the outer signal without calling it expired, and lets go of it', () => {
    const outer = new AbortController();
    const deadline = startDeadline(60_000, outer.signal);
    outer.abort();
    expect(deadline.signal.aborted).toBe(true);
    expect(deadline.expired()).toBe(false);
    deadline.dispose();

    const already = startDeadline(60_000, AbortSignal.abort());
    expect(already.signal.aborted).toBe(true);
    already.dispose();
  });

  it('stops its timer when disposed', () => {
    const before = timers();
    const deadline = startDeadline(60_000);
    expect(timers()).toBe(before + 1);
    deadline.dispose();
    expect(timers()).toBe(before);
    expect(deadline.signal.aborted).toBe(false);
  });
});
