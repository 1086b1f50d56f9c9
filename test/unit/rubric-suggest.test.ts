import { describe, expect, it } from 'vitest';
import { slugify } from '../../src/rubric/slug.js';
import { closest, osaDistance } from '../../src/rubric/suggest.js';

describe('osaDistance', () => {
  it.each([
    ['status', 'status', 0],
    ['stauts', 'status', 1],
    ['statu', 'status', 1],
    ['sttus', 'status', 1],
    ['kitten', 'sitting', 3],
    ['', 'abc', 3],
    ['ca', 'abc', 3],
  ])('%s → %s = %i', (a, b, d) => {
    expect(osaDistance(a, b)).toBe(d);
  });
});

describe('closest', () => {
  const keys = ['path', 'port', 'method', 'headers', 'data', 'status', 'body', 'json', 'response_headers'];
  it('suggests typos, case and separator variants', () => {
    expect(closest('stauts', keys)).toBe('status');
    expect(closest('Status', keys)).toBe('status');
    expect(closest('response-headers', keys)).toBe('response_headers');
    expect(closest('heders', keys)).toBe('headers');
  });

  it('suggests a unique completion of a clipped word', () => {
    expect(closest('non-root', ['non-root-user', 'no-add', 'expose'])).toBe('non-root-user');
  });

  it('stays quiet when nothing is close', () => {
    expect(closest('whatever', keys)).toBeUndefined();
    expect(closest('x', [])).toBeUndefined();
  });
});

describe('slugify', () => {
  it('keeps letters, digits and marks of any script', () => {
    expect(slugify('도커파일 존재')).toBe('도커파일-존재');
    expect(slugify('नमस्ते दुनिया')).toBe('नमस्ते-दुनिया');
    expect(slugify('  Hello, World!  ')).toBe('hello-world');
    expect(slugify('!!!')).toBe('check');
  });

  it('gives the same id for composed and decomposed Korean', () => {
    expect(slugify('도커'.normalize('NFD'))).toBe('도커');
  });
});
