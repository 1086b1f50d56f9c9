import { describe, expect, it } from 'vitest';
import { nestsDeeperThan } from '../../src/probes/json-depth.js';

describe('nestsDeeperThan', () => {
  it('counts arrays and objects, up to and past the limit', () => {
    expect(nestsDeeperThan('[{"a":[1]}]', 3)).toBe(false);
    expect(nestsDeeperThan('[{"a":[[1]]}]', 3)).toBe(true);
    expect(nestsDeeperThan(`${'['.repeat(1000)}${']'.repeat(1000)}`, 1000)).toBe(false);
    expect(nestsDeeperThan(`${'['.repeat(1001)}${']'.repeat(1001)}`, 1000)).toBe(true);
  });

  it('measures depth, not the number of brackets', () => {
    expect(nestsDeeperThan(JSON.stringify(Array.from({ length: 10_000 }, () => [[1]])), 3)).toBe(false);
  });

  it('finds a 100,000-deep body quickly, without recursing', () => {
    const deep = `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`;
    expect(nestsDeeperThan(deep, 1000)).toBe(true);
  });

  it('skips brackets inside strings, escaped quotes included', () => {
    expect(nestsDeeperThan(JSON.stringify({ s: `"[[[[{{{{\\"[[[` }), 1)).toBe(false);
    expect(nestsDeeperThan('["\\\\", [[1]]]', 2)).toBe(true);
  });
});
