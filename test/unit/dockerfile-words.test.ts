import { describe, expect, it } from 'vitest';
import { parseDockerfile } from '../../src/probes/dockerfile/model.js';
import { processWord, variablesAt, type Variables } from '../../src/probes/dockerfile/words.js';

const vars = (entries: Record<string, string | null> = {}): Variables => new Map(Object.entries(entries));
const word = (text: string, known: Record<string, string | null> = {}, escape = '\\') => processWord(text, escape, vars(known));

describe('processWord', () => {
  it.each([
    ['app', 'app'],
    ['"0"', '0'],
    ["'0'0", '00'],
    ['0""0', '00'],
    ['\\0', '0'],
    ['a\\ b', 'a b'],
    ['"a\\"b"', 'a"b'],
    ['"a\\b"', 'a\\b'],
    ["'$U'", '$U'],
    ['"\\$U"', '$U'],
    ['\\$U', '$U'],
    ['$', '$'],
    ['a$', 'a$'],
    ['$$0', '0'],
    ['0 # not a comment', '0 # not a comment'],
  ])('reads %s as %s', (text, value) => {
    expect(word(text)).toEqual({ known: true, value });
  });

  it('uses the escape character the Dockerfile chose', () => {
    expect(word('`0', {}, '`')).toEqual({ known: true, value: '0' });
    expect(word('a\\b', {}, '`')).toEqual({ known: true, value: 'a\\b' });
  });

  it('replaces variables, with the :- and :+ forms, inside double quotes too', () => {
    const known = { U: '0', E: '', N: 'app' };
    expect(word('$U:$N', known)).toEqual({ known: true, value: '0:app' });
    expect(word('${U}0', known)).toEqual({ known: true, value: '00' });
    expect(word('"$U"', known)).toEqual({ known: true, value: '0' });
    expect(word('${E:-0}', known)).toEqual({ known: true, value: '0' });
    expect(word('${N:-0}', known)).toEqual({ known: true, value: 'app' });
    expect(word('${N:+"0"}', known)).toEqual({ known: true, value: '0' });
    expect(word('${E:+1000}', known)).toEqual({ known: true, value: '' });
    expect(word('${E:-${U}}', known)).toEqual({ known: true, value: '0' });
  });

  it('is unknown when a variable is not set by the Dockerfile, or set to what it cannot tell', () => {
    expect(word('$BASE_USER')).toEqual({ known: false, why: 'the Dockerfile alone does not tell the value of $BASE_USER' });
    expect(word('${A:-0}$B', { A: null })).toEqual({ known: false, why: 'the Dockerfile alone does not tell the value of $A, $B' });
  });

  it('is unknown for syntax it does not evaluate or the builder rejects', () => {
    expect(word('${U#x}', { U: 'x0' })).toMatchObject({ known: false, why: 'it uses ${U#…}, which this check does not evaluate' });
    expect(word('${}')).toMatchObject({ known: false });
    expect(word('"0')).toEqual({ known: false, why: 'it has no closing "' });
    expect(word("'0")).toEqual({ known: false, why: "it has no closing '" });
    expect(word('${U:-0')).toEqual({ known: false, why: 'it has no closing }' });
  });
});

describe('variablesAt', () => {
  function at(text: string, buildArgs: Record<string, string> = {}) {
    const model = parseDockerfile(text, 'Dockerfile');
    const user = model.instructions.filter((i) => i.keyword === 'USER').at(-1)!;
    return Object.fromEntries(variablesAt(model, user, buildArgs));
  }

  it('collects ENV and ARG set before the instruction, in its stage and the stages it is built from', () => {
    expect(at('ARG G=1\nFROM a AS base\nENV E=base F="x y"\nARG A=9\nFROM base\nARG G\nARG B=2\nARG C\nUSER x\nENV LATE=1')).toEqual({
      E: 'base',
      F: 'x y',
      G: '1',
      B: '2',
      C: '',
    });
  });

  it('lets build args win over ARG defaults, and ENV over both', () => {
    expect(at('FROM a\nARG B=2\nENV E=1\nARG E=3\nUSER x', { B: '7', E: '8' })).toEqual({ B: '7', E: '1' });
  });

  it('marks values that hold variables as unknown', () => {
    expect(at('FROM a\nENV E=$HOME\nARG A=${X}\nUSER x')).toEqual({ E: null, A: null });
  });

  it('ignores stages outside the final chain', () => {
    expect(at('FROM a AS other\nENV E=0\nFROM b\nUSER x')).toEqual({});
  });
});
