import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isBuiltinName, listBuiltinRubrics, loadRubric, parseRubric, rubricsDir } from '../../src/rubric/load.js';

/** The built-in rubrics users are told about (`--rubric web`, the action's `rubric: cli`). */
const DOCUMENTED = ['cli', 'web'];

describe('built-in rubrics', () => {
  it('finds the rubrics folder next to the schema', () => {
    expect(existsSync(join(rubricsDir(), 'rubric.schema.json'))).toBe(true);
  });

  it('tells names from paths', () => {
    expect(isBuiltinName('web')).toBe(true);
    expect(isBuiltinName('web.yml')).toBe(false);
    expect(isBuiltinName('./web')).toBe(false);
    expect(isBuiltinName('rubrics/web')).toBe(false);
  });

  it('lists the built-ins the README and the action document', () => {
    expect(listBuiltinRubrics()).toEqual(expect.arrayContaining(DOCUMENTED));
  });

  // The documented ones too, so that a missing file fails here rather than going untested.
  it.each([...new Set([...DOCUMENTED, ...listBuiltinRubrics()])].map((name) => [name]))('%s loads cleanly by name', async (name) => {
    const rubric = await loadRubric(name);
    expect(rubric.source).toBe(`builtin:${name}`);
    expect(rubric.checks.length).toBeGreaterThan(0);
  });

  it('lists only .yml files, by name', () => {
    for (const name of listBuiltinRubrics()) {
      expect(name).not.toMatch(/\.|\//);
      expect(existsSync(join(rubricsDir(), `${name}.yml`))).toBe(true);
    }
  });
});

describe('rubrics/README.md', () => {
  it('shows a complete example that is a valid rubric', () => {
    const readme = readFileSync(join(rubricsDir(), 'README.md'), 'utf8');
    const examples = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!).filter((text) => text.includes('rubric: 1'));
    expect(examples.length).toBeGreaterThan(0);
    for (const example of examples) {
      const rubric = parseRubric(example, 'README.md');
      expect(rubric.checks.map((c) => c.id)).toContain('도커파일-정리');
    }
  });
});
