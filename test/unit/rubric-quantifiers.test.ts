import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { RubricError } from '../../src/basics/errors.js';
import { main } from '../../src/cli/main.js';
import type { RubricProblem } from '../../src/basics/errors.js';
import { parseRubric } from '../../src/rubric/load.js';
import { DOCKERFILE_RULES } from '../../src/rubric/model.js';

const HEAD = 'rubric: 1\ntitle: T\n';

function problemsOf(text: string): Omit<RubricProblem, 'file'>[] {
  try {
    parseRubric(text, 'r.yml');
  } catch (err) {
    expect(err).toBeInstanceOf(RubricError);
    return (err as RubricError).problems.map(({ file: _file, ...rest }) => rest);
  }
  throw new Error('expected the rubric to be rejected');
}

describe('dockerfile rules (several)', () => {
  it('loads a list of rules, any the model knows', () => {
    const all = DOCKERFILE_RULES.join(', ');
    const rubric = parseRubric(`${HEAD}checks:\n  - name: a\n    points: 5\n    dockerfile: { rules: [${all}] }\n`, 'r.yml');
    expect(rubric.checks[0]!.spec).toEqual({ kind: 'dockerfile', rules: [...DOCKERFILE_RULES] });
    expect(rubric.warnings).toBeUndefined();
  });

  it('rule and rules together: an error on the second key', () => {
    expect(problemsOf(`${HEAD}checks:\n  - name: a\n    dockerfile: { rule: expose, rules: [no-add] }\n`)).toEqual([
      {
        line: 5,
        column: 33,
        key: 'checks[0].dockerfile',
        message: 'needs exactly one of: rule, rules, instruction; found both rule and rules',
      },
    ]);
  });

  it('an unknown rule in the list, with a suggestion', () => {
    expect(problemsOf(`${HEAD}checks:\n  - name: a\n    dockerfile: { rules: [no-add, exec-from] }\n`)).toEqual([
      expect.objectContaining({ line: 5, column: 35, key: 'checks[0].dockerfile.rules[1]', suggestion: 'exec-form' }),
    ]);
  });

  it('an empty list, or a rule listed twice', () => {
    expect(problemsOf(`${HEAD}checks:\n  - name: a\n    dockerfile: { rules: [] }\n`)).toEqual([
      { line: 5, column: 26, key: 'checks[0].dockerfile.rules', message: 'must not be an empty list' },
    ]);
    expect(
      problemsOf(`${HEAD}checks:\n  - name: a\n    dockerfile:\n      rules:\n        - no-add\n        - expose\n        - no-add\n`),
    ).toEqual([
      {
        line: 9,
        column: 11,
        key: 'checks[0].dockerfile.rules[2]',
        message: 'rule "no-add" is already listed (checks[0].dockerfile.rules[0])',
      },
    ]);
  });
});

describe('dockerfile match', () => {
  const load = (dockerfile: string) => parseRubric(`${HEAD}checks:\n  - name: a\n    dockerfile: ${dockerfile}\n`, 'r.yml');

  it('keeps match as written, and leaves it out when it is not', () => {
    expect(load('{ instruction: run, match: none, contains: sudo }').checks[0]!.spec).toEqual({
      kind: 'dockerfile',
      instruction: 'RUN',
      args: { contains: 'sudo' },
      match: 'none',
    });
    expect(load('{ instruction: RUN, contains: sudo }').checks[0]!.spec).toEqual({
      kind: 'dockerfile',
      instruction: 'RUN',
      args: { contains: 'sudo' },
    });
  });

  it('an unknown match, or match without an instruction, is an error with its position', () => {
    expect(problemsOf(`${HEAD}checks:\n  - name: a\n    dockerfile: { instruction: RUN, match: every }\n`)).toEqual([
      {
        line: 5,
        column: 44,
        key: 'checks[0].dockerfile.match',
        message: 'must be one of: any, all, none, found "every"',
      },
    ]);
    expect(problemsOf(`${HEAD}checks:\n  - name: a\n    dockerfile: { rule: no-add, match: none }\n`)).toEqual([
      { line: 5, column: 33, key: 'checks[0].dockerfile.match', message: '"match" can only be used together with "instruction"' },
    ]);
  });

  it('warns, with file and line, about match: any (default or written) with not_contains', () => {
    const text = `${HEAD}checks:\n  - name: a\n    dockerfile:\n      instruction: RUN\n      not_contains: sudo\n  - name: b\n    dockerfile: { instruction: USER, match: any, not_contains: root }\n`;
    expect(parseRubric(text, 'r.yml').warnings).toEqual([
      'r.yml:7: checks[0].dockerfile.not_contains: with match: any (the default), not_contains passes as soon as one RUN lacks "sudo"; to forbid "sudo" in every RUN, write match: none with contains: "sudo"',
      'r.yml:9: checks[1].dockerfile.not_contains: with match: any (the default), not_contains passes as soon as one USER lacks "root"; to forbid "root" in every USER, write match: none with contains: "root"',
    ]);
  });

  it('warns about match: none with not_contains alone, and not about the clear spellings', () => {
    expect(load('{ instruction: RUN, match: none, not_contains: sudo }').warnings).toEqual([
      'r.yml:5: checks[0].dockerfile.not_contains: with match: none, not_contains passes only when every RUN contains "sudo"; if that is meant, match: all with contains: "sudo" says it plainly',
    ]);
    expect(load('{ instruction: RUN, match: none, contains: sudo }').warnings).toBeUndefined();
    expect(load('{ instruction: RUN, match: all, not_contains: sudo }').warnings).toBeUndefined();
    expect(load('{ instruction: RUN, match: none, contains: "sudo ", not_contains: "sudo -n" }').warnings).toBeUndefined();
  });
});

describe('http cases', () => {
  it('loads each case with the defaults of a single request', () => {
    const rubric = parseRubric(
      `${HEAD}checks:\n  - name: a\n    http:\n      cases:\n        - { path: /health, json: { status: ok } }\n        - { method: POST, data: { a: 1 }, status: 201 }\n`,
      'r.yml',
    );
    const spec = rubric.checks[0]!.spec;
    expect(spec).toMatchObject({
      kind: 'http',
      cases: [
        { path: '/health', method: 'GET', status: 200, headers: {}, json: { status: 'ok' }, responseHeaders: {} },
        { path: '/', method: 'POST', status: 201, headers: { 'Content-Type': 'application/json' }, data: '{"a":1}' },
      ],
    });
  });

  it('cases with a single-request key: an error on each such key', () => {
    expect(problemsOf(`${HEAD}checks:\n  - name: a\n    http:\n      path: /\n      cases: [{ path: /a }]\n      status: 404\n`)).toEqual([
      {
        line: 6,
        column: 7,
        key: 'checks[0].http.path',
        message: '"path" cannot be used together with "cases": write it in each case instead',
      },
      {
        line: 8,
        column: 7,
        key: 'checks[0].http.status',
        message: '"status" cannot be used together with "cases": write it in each case instead',
      },
    ]);
  });

  it('a case is checked like a single request: unknown keys, bad paths, empty lists', () => {
    expect(
      problemsOf(`${HEAD}checks:\n  - name: a\n    http:\n      cases:\n        - { path: /a, stauts: 404 }\n        - { path: a }\n`),
    ).toEqual([
      { line: 7, column: 23, key: 'checks[0].http.cases[0].stauts', message: 'unknown key "stauts"', suggestion: 'status' },
      { line: 8, column: 19, key: 'checks[0].http.cases[1].path', message: 'must be a path starting with "/", found "a"' },
    ]);
    expect(problemsOf(`${HEAD}checks:\n  - name: a\n    http: { cases: [] }\n`)).toEqual([
      { line: 5, column: 20, key: 'checks[0].http.cases', message: 'must not be an empty list' },
    ]);
  });
});

describe('grader validate', () => {
  it('prints the warnings with file and line on stderr, and still says valid (exit 0)', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'grader-validate-'));
    const file = path.join(dir, 'r.yml');
    await writeFile(file, `${HEAD}checks:\n  - name: No sudo\n    dockerfile: { instruction: RUN, not_contains: sudo }\n`);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(await main(['validate', file])).toBe(0);
      expect(stderr.mock.calls.map(([text]) => String(text))).toEqual([
        `warning: ${file}:5: checks[0].dockerfile.not_contains: with match: any (the default), not_contains passes as soon as one RUN lacks "sudo"; to forbid "sudo" in every RUN, write match: none with contains: "sudo"\n`,
      ]);
      expect(String(stdout.mock.calls[0]?.[0])).toBe('r.yml: 1 check, 1 point — valid\n');
    } finally {
      stderr.mockRestore();
      stdout.mockRestore();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
