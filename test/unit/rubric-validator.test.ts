/**
 * The precompiled rubric validator (src/rubric/schema-validator.generated.ts): generated
 * from the schema as it is now, and telling valid from invalid exactly as the schema
 * compiled at run time does.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { validate as precompiled } from '../../src/rubric/schema-validator.generated.js';
import { schema } from '../../src/rubric/schema.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const compiled = new Ajv({ allErrors: true, strictRequired: false, allowUnionTypes: true }).compile(schema);

function rubricFiles(dir: string): [string, unknown][] {
  return readdirSync(`${root}${dir}`)
    .filter((name) => /\.(ya?ml|json)$/.test(name) && name !== 'rubric.schema.json')
    .map((name) => [`${dir}/${name}`, parse(readFileSync(`${root}${dir}/${name}`, 'utf8'))]);
}

const HEAD = { rubric: 1, title: 'T' };
const check = { name: 'c', build: {} };
const INVALID: [string, unknown][] = [
  ['not an object', []],
  ['no title', { rubric: 1, checks: [check] }],
  ['an empty title', { ...HEAD, title: '', checks: [check] }],
  ['another format version', { ...HEAD, rubric: 2, checks: [check] }],
  ['an unknown top-level key', { ...HEAD, titel: 'T', checks: [check] }],
  ['an unknown key in a check', { ...HEAD, checks: [{ ...check, pionts: 3 }] }],
  ['a check with no kind', { ...HEAD, checks: [{ name: 'c' }] }],
  ['a check with two kinds', { ...HEAD, checks: [{ name: 'c', build: {}, tcp: {} }] }],
  ['a check id with a space', { ...HEAD, checks: [{ ...check, id: 'a b' }] }],
  ['points as text', { ...HEAD, checks: [{ ...check, points: 'ten' }] }],
  ['an http status out of range', { ...HEAD, checks: [{ name: 'c', http: { path: '/', status: 1000 } }] }],
  ['an unknown Dockerfile rule', { ...HEAD, checks: [{ name: 'c', dockerfile: { rule: 'no-such-rule' } }] }],
];

describe('schema-validator.generated.ts', () => {
  it('is up to date with the schema (npm run gen:types)', () => {
    const fresh = execFileSync(process.execPath, ['scripts/gen-rubric-validator.mjs', '--stdout'], { cwd: root, encoding: 'utf8' });
    expect(readFileSync(`${root}src/rubric/schema-validator.generated.ts`, 'utf8')).toBe(fresh);
  });

  it('accepts what the compiled schema accepts: the built-in rubrics and the fixtures', () => {
    const files = [...rubricFiles('rubrics'), ...rubricFiles('test/fixtures/rubrics')];
    expect(files.length).toBeGreaterThanOrEqual(4);
    const verdicts = files.map(([name, data]) => [name, precompiled(data), compiled(data)]);
    expect(verdicts.filter(([, quick, full]) => quick !== full)).toEqual([]);
    expect(verdicts.filter(([name]) => String(name).startsWith('rubrics/')).every(([, quick]) => quick === true)).toBe(true);
  });

  it.each(INVALID)('rejects %s, as the compiled schema does', (_, data) => {
    expect(compiled(data)).toBe(false);
    expect(precompiled(data)).toBe(false);
  });
});
