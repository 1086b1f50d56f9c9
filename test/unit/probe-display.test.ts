import { describe, expect, it } from 'vitest';
import { formatCommand, headForDisplay, tailForDisplay } from '../../src/probes/display.js';

describe('display helpers', () => {
  it('leave short text alone', () => {
    expect(headForDisplay('hi')).toBe('hi');
    expect(tailForDisplay('hi')).toBe('hi');
  });

  it('cut to 4 KiB on a character boundary, saying so', () => {
    const text = '가'.repeat(3000); // 3 bytes each, 9000 bytes
    const head = headForDisplay(text);
    expect(head).not.toContain('\uFFFD');
    expect(head).toMatch(/^가+\n… \(cut, 9000 bytes in total\)$/);
    expect(Buffer.byteLength(head.split('\n')[0]!)).toBeLessThanOrEqual(4096);
    const tail = tailForDisplay(`${'a'.repeat(5000)}가END`);
    expect(tail).not.toContain('\uFFFD');
    expect(tail.endsWith('가END')).toBe(true);
    expect(tail.startsWith('… (earlier output cut')).toBe(true);
  });

  it('quotes command words only when needed', () => {
    expect(formatCommand(['sh', '-c', "echo 'hi' && exit 1"])).toBe(`sh -c 'echo '\\''hi'\\'' && exit 1'`);
    expect(formatCommand(['curl', '-fsS', 'http://localhost:3000/ping'])).toBe('curl -fsS http://localhost:3000/ping');
  });
});
