import { describe, expect, it } from 'vitest';
import { catchInterrupts } from '../../src/core/interrupts.js';

/** Calls the SIGINT/SIGTERM listeners the way a delivered signal would, without sending one. */
function deliver(signal: NodeJS.Signals): void {
  process.emit(signal, signal);
}

describe('catchInterrupts', () => {
  it('aborts on the first signal, says so once, gives up after the grace, and lets go of the signals', async () => {
    const before = { int: process.listenerCount('SIGINT'), term: process.listenerCount('SIGTERM') };
    const announced: string[] = [];
    let gaveUp!: () => void;
    const givenUp = new Promise<void>((resolve) => (gaveUp = resolve));
    const interrupts = catchInterrupts({ reason: 'interrupted', announce: (s) => announced.push(s), graceMs: 5, giveUp: () => gaveUp() });
    expect(process.listenerCount('SIGINT')).toBe(before.int + 1);
    expect(process.listenerCount('SIGTERM')).toBe(before.term + 1);
    expect(interrupts.signal.aborted).toBe(false);

    deliver('SIGTERM');
    deliver('SIGINT');
    expect(interrupts.signal.aborted).toBe(true);
    expect((interrupts.signal.reason as Error).message).toBe('interrupted by SIGTERM');
    expect(announced).toEqual(['SIGTERM']);
    await givenUp;

    interrupts.release();
    expect(process.listenerCount('SIGINT')).toBe(before.int);
    expect(process.listenerCount('SIGTERM')).toBe(before.term);
  });
});
