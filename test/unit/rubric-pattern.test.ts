import { describe, expect, it } from 'vitest';
import { compilePattern, MATCH_CAP_CHARS, MAX_PATTERN_SIZE, patternProblem } from '../../src/rubric/pattern.js';

/**
 * RE2 takes well under a second on each input here. A backtracking engine takes minutes on
 * `(a+)+$` and on the costliest pattern (V8's own ran over 100 s), though only about a second
 * on `Hello.*World`, which is there for the cap. The bound sits far from both.
 */
const FINISHES_WITHIN_MS = 10_000;

function timed<T>(fn: () => T): { value: T; ms: number } {
  const started = performance.now();
  const value = fn();
  return { value, ms: performance.now() - started };
}

describe('compilePattern on adversarial text', () => {
  it('`Hello.*World` on a whole capped text of `Hello ` finishes, not found', () => {
    const text = 'Hello '.repeat(Math.ceil(MATCH_CAP_CHARS / 6));
    const { value, ms } = timed(() => compilePattern('Hello.*World').search(text));
    expect(value).toEqual({ found: false, complete: false });
    expect(ms).toBeLessThan(FINISHES_WITHIN_MS);
    expect(compilePattern('Hello.*World').test(`${'Hello '.repeat(1000)}World`)).toBe(true);
  });

  it('`(a+)+$` on `a`s and a `!` finishes with the right answer', () => {
    const pattern = compilePattern('(a+)+$');
    for (const text of [`${'a'.repeat(40)}!`, `${'a'.repeat(MATCH_CAP_CHARS - 1)}!`]) {
      const { value, ms } = timed(() => pattern.search(text));
      expect(value).toEqual({ found: false, complete: true });
      expect(ms).toBeLessThan(FINISHES_WITHIN_MS);
    }
    expect(pattern.test(`${'a'.repeat(40)}!\naaa`)).toBe(true);
  });

  it('the costliest pattern the size limit allows, on a full cap of text, finishes', () => {
    // A DFA-defeating pattern at the size limit: RE2 falls back to its slowest engine.
    const pattern = `[ab]*a[ab]{${MAX_PATTERN_SIZE - 6}}c`;
    expect(patternProblem(pattern)).toBeUndefined();
    let seed = 7;
    const text = `c${Array.from({ length: MATCH_CAP_CHARS - 1 }, () => (((seed = (seed * 1103515245 + 12345) & 0x7fffffff) >> 16) & 1 ? 'a' : 'b')).join('')}`;
    const { value, ms } = timed(() => compilePattern(pattern).search(text));
    expect(value).toEqual({ found: false, complete: true });
    expect(ms).toBeLessThan(FINISHES_WITHIN_MS);
  });
});

describe('compilePattern', () => {
  it('searches only the first MATCH_CAP_CHARS characters and says the search was partial', () => {
    const pattern = compilePattern('NEEDLE');
    expect(pattern.search(`${'x'.repeat(MATCH_CAP_CHARS - 6)}NEEDLE`)).toEqual({ found: true, complete: true });
    expect(pattern.search(`${'x'.repeat(MATCH_CAP_CHARS - 5)}NEEDLE`)).toEqual({ found: false, complete: false });
    expect(pattern.search(`NEEDLE${'x'.repeat(MATCH_CAP_CHARS)}`)).toEqual({ found: true, complete: false });
  });

  it('does not cut a surrogate pair at the cap, leaving half a character to match', () => {
    const halfCharacter = compilePattern('[\\x{D800}-\\x{DFFF}]');
    expect(halfCharacter.test(`${'x'.repeat(MATCH_CAP_CHARS - 1)}\uD83D`)).toBe(true);
    expect(halfCharacter.test(`${'x'.repeat(MATCH_CAP_CHARS - 1)}😀`)).toBe(false);
    expect(compilePattern('x😀$').test(`${'x'.repeat(MATCH_CAP_CHARS - 2)}😀`)).toBe(true);
  });

  it('throws on a pattern the rubric check would reject', () => {
    expect(() => compilePattern('(a)\\1')).toThrow(/backreferences/);
  });
});

describe('patternProblem', () => {
  it('accepts the patterns rubrics use', () => {
    for (const ok of ['^\\d+$', '[Mm]aintainer', '\\S', 'listening on .*:3000', '(?i)ready', '^[0-9a-f]{64}$', '(?<version>\\d+)\\.\\d+']) {
      expect(patternProblem(ok)).toBeUndefined();
    }
  });

  it('names what RE2 cannot run, quoting the pattern as written', () => {
    expect(patternProblem('a(')).toBe('not a valid regular expression: missing closing ): `a(`');
    expect(patternProblem('(a)\\1')).toBe(
      'not a valid regular expression: invalid escape sequence: `\\1` (rubric patterns use RE2 syntax, which has no backreferences)',
    );
    expect(patternProblem('foo(?=bar)')).toMatch(
      /unsupported Perl syntax: `\(\?=` \(rubric patterns use RE2 syntax, which has no lookahead or lookbehind\)$/,
    );
    expect(patternProblem('(?<!x)y')).toMatch(/lookahead or lookbehind\)$/);
  });

  it('refuses a pattern too large to search quickly', () => {
    expect(patternProblem('.{1000}')).toBe(
      `regular expression too complex: it compiles to 1002 RE2 instructions, at most ${MAX_PATTERN_SIZE} are allowed (large counted repetitions such as {100} cost the most)`,
    );
  });
});
