import { describe, expect, it } from 'vitest';
import { describeMatcher, jsonSubset, matchText } from '../../src/probes/matcher.js';
import { MATCH_CAP_CHARS } from '../../src/rubric/pattern.js';

describe('matchText', () => {
  it('equals ignores trailing whitespace per line and at the end, and CRLF', () => {
    expect(matchText({ equals: 'hello\nworld' }, 'hello  \r\nworld\t\r\n\n\n').ok).toBe(true);
    expect(matchText({ equals: 'hello  \nworld\n' }, 'hello\nworld').ok).toBe(true);
  });

  it('equals still sees leading whitespace and inner differences, naming the line', () => {
    expect(matchText({ equals: 'a' }, '  a').ok).toBe(false);
    const result = matchText({ equals: 'one\ntwo\nthree' }, 'one\nTWO\nthree');
    expect(result.ok).toBe(false);
    expect(result.failures[0]).toContain('line 2');
    expect(matchText({ equals: 'one\ntwo' }, 'one').failures[0]).toContain('line 2 is missing');
  });

  it('contains and not_contains', () => {
    expect(matchText({ contains: 'pong' }, '{"msg":"pong"}').ok).toBe(true);
    expect(matchText({ contains: 'pong' }, 'ping')).toEqual({
      ok: false,
      expected: 'contains "pong"',
      failures: ['does not contain "pong"'],
    });
    expect(matchText({ not_contains: 'Error' }, 'all good').ok).toBe(true);
    expect(matchText({ not_contains: 'Error' }, 'Error: boom').failures).toEqual(['contains "Error", which it must not']);
  });

  it('matches is a regex where ^ and $ work per line', () => {
    expect(matchText({ matches: '^listening on \\d+$' }, 'booting\nlistening on 3000\nready').ok).toBe(true);
    expect(matchText({ matches: 'v\\d+\\.\\d+' }, 'version 1').ok).toBe(false);
    expect(matchText({ matches: '^Hello' }, 'hello').ok).toBe(false); // case-sensitive
    expect(matchText({ matches: '(?i)^Hello' }, 'hello').ok).toBe(true);
  });

  it('matches reads \\r\\n and a lone \\r as line ends, as a JavaScript m-flag regex did', () => {
    expect(matchText({ matches: '^FROM node:20$' }, 'FROM node:20\r\nCMD x\r\n').ok).toBe(true);
    expect(matchText({ matches: '^100%$' }, ' 50%\r100%\n').ok).toBe(true);
  });

  it('matches searches only the capped text, and says so when the pattern is not found there', () => {
    const text = 'a'.repeat(MATCH_CAP_CHARS) + 'NEEDLE';
    expect(matchText({ matches: 'NEEDLE' }, text)).toEqual({
      ok: false,
      expected: 'matches /NEEDLE/',
      failures: ['does not match /NEEDLE/ in its first 65,536 characters (only those are searched)'],
    });
    expect(matchText({ matches: '^a+' }, text).ok).toBe(true);
    expect(matchText({ matches: 'NEEDLE' }, 'a'.repeat(100)).failures).toEqual(['does not match /NEEDLE/']);
  });

  it('every key must hold, and each failure is reported', () => {
    const result = matchText({ contains: 'a', not_contains: 'b', matches: '^c' }, 'xb');
    expect(result.ok).toBe(false);
    expect(result.failures).toHaveLength(3);
  });

  it('an empty matcher matches anything', () => {
    expect(matchText({}, '').ok).toBe(true);
  });
});

describe('describeMatcher', () => {
  it('joins every key', () => {
    expect(describeMatcher({ equals: 'x', contains: 'y', matches: 'z+', not_contains: 'w' })).toBe(
      'equals "x" and contains "y" and matches /z+/ and does not contain "w"',
    );
  });
});

describe('jsonSubset', () => {
  it('accepts extra keys and nested objects', () => {
    expect(jsonSubset({ status: 'ok', data: { n: 1 } }, { status: 'ok', extra: true, data: { n: 1, m: 2 } })).toEqual([]);
  });

  it('reports differences with paths', () => {
    const actual = { data: { items: [{ id: '1' }, { id: 2 }] } };
    expect(jsonSubset({ data: { items: [{ id: 1 }] } }, actual)).toEqual(['$.data.items[0].id: expected 1, got "1"']);
    expect(jsonSubset({ missing: null }, {})).toEqual(['$.missing: missing (expected null)']);
    expect(jsonSubset({ 'content-type': 'x' }, { 'content-type': 'y' })).toEqual(['$["content-type"]: expected "x", got "y"']);
  });

  it('matches arrays element-wise by index', () => {
    expect(jsonSubset([1, { a: 1 }], [1, { a: 1, b: 2 }, 3])).toEqual([]);
    expect(jsonSubset([1, 2], [2, 1])).toEqual(['$[0]: expected 1, got 2', '$[1]: expected 2, got 1']);
    expect(jsonSubset([1, 2, 3], [1])).toEqual(['$: expected at least 3 element(s), got 1']);
  });

  it('reports type mismatches', () => {
    expect(jsonSubset({ a: [1] }, { a: { 0: 1 } })).toEqual(['$.a: expected an array, got {"0":1}']);
    expect(jsonSubset({ a: {} }, { a: null })).toEqual(['$.a: expected an object, got null']);
    expect(jsonSubset({ a: 1 }, [1])).toEqual(['$: expected an object, got [1]']);
  });
});
