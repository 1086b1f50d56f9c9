import { describe, expect, it } from 'vitest';
import { Semaphore } from '../../src/class/semaphore.js';

describe('Semaphore', () => {
  it('never lets more than its limit run, serves waiters in order, and frees a slot on failure', async () => {
    const slots = new Semaphore(2);
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    const releases: (() => void)[] = [];
    const task = (n: number) =>
      slots.use(async () => {
        running++;
        peak = Math.max(peak, running);
        order.push(n);
        await new Promise<void>((resolve) => releases.push(resolve));
        running--;
        if (n === 1) throw new Error('boom');
        return n;
      });
    const all = [1, 2, 3, 4, 5].map((n) => task(n).catch((err: Error) => err.message));
    for (let finished = 0; finished < 5; finished++) {
      while (releases.length === 0) await new Promise((resolve) => setImmediate(resolve));
      releases.shift()!();
    }
    expect(await Promise.all(all)).toEqual(['boom', 2, 3, 4, 5]);
    expect(peak).toBe(2);
    expect(order).toEqual([1, 2, 3, 4, 5]);
  });
});
