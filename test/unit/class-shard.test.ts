import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/basics/errors.js';
import { inShard, parseShard } from '../../src/class/shard.js';

const names = Array.from({ length: 100 }, (_, i) => `student${String(i + 1).padStart(3, '0')}`);

/** The 1-based shards of K that take `username`. */
function shardsOf(username: string, count: number): number[] {
  return Array.from({ length: count }, (_, i) => i + 1).filter((index) => inShard(username, { index, count }));
}

describe('parseShard', () => {
  it('reads I/K', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(parseShard(' 1 / 1 ')).toEqual({ index: 1, count: 1 });
  });

  it.each(['0/4', '5/4', 'a/b', '1/0', '1', '', '-1/4', '1.5/4', '2/4/8', '1/9999999'])('refuses %j', (text) => {
    expect(() => parseShard(text)).toThrow(UserError);
    expect(() => parseShard(text)).toThrow(/--shard .*expected I\/K/);
  });
});

describe('inShard', () => {
  it('puts every username in exactly one shard, for K from 1 to 5', () => {
    for (let count = 1; count <= 5; count++) {
      for (const name of [...names, '철수', 'Zoë']) expect(shardsOf(name, count)).toHaveLength(1);
    }
  });

  it('is stable across calls and ignores case, as usernames compare', () => {
    const first = names.map((name) => shardsOf(name, 4)[0]);
    expect(names.map((name) => shardsOf(name, 4)[0])).toEqual(first);
    expect(names.map((name) => shardsOf(name.toUpperCase(), 4)[0])).toEqual(first);
  });

  it('spreads 100 names roughly evenly', () => {
    for (let count = 2; count <= 5; count++) {
      const sizes = Array.from({ length: count }, (_, i) => names.filter((name) => inShard(name, { index: i + 1, count })).length);
      const even = 100 / count;
      for (const size of sizes) {
        expect(size).toBeGreaterThanOrEqual(even * 0.5);
        expect(size).toBeLessThanOrEqual(even * 1.5);
      }
    }
  });
});
