import { DOCKERFILE_RULES } from '../../src/rubric/model.js';
import { describe, expect, it } from 'vitest';
import { RubricError } from '../../src/basics/errors.js';
import type { RubricProblem } from '../../src/basics/errors.js';
import { loadRubric, parseRubric } from '../../src/rubric/load.js';

const HEAD = 'rubric: 1\ntitle: T\n';

function problemsOf(text: string, file = 'r.yml'): Omit<RubricProblem, 'file'>[] {
  try {
    parseRubric(text, file);
  } catch (err) {
    expect(err).toBeInstanceOf(RubricError);
    const error = err as RubricError;
    expect(error.file).toBe(file);
    for (const problem of error.problems) expect(problem.file).toBe(file);
    return error.problems.map(({ file: _file, ...rest }) => rest);
  }
  throw new Error('expected the rubric to be rejected');
}

const KINDS = 'file, dockerfile, build, image, http, tcp, exec, run, logs, stop';

describe('unknown keys', () => {
  it('at the top level, with a suggestion, and no extra "missing title"', () => {
    expect(problemsOf('rubric: 1\ntitel: T\nchecks: [{name: a, build: true}]\n')).toEqual([
      { line: 2, column: 1, key: 'titel', message: 'unknown key "titel"', suggestion: 'title' },
    ]);
  });

  it('inside a check', () => {
    expect(problemsOf(`${HEAD}checks:\n  - name: a\n    pionts: 3\n    build: true\n`)).toEqual([
      { line: 5, column: 5, key: 'checks[0].pionts', message: 'unknown key "pionts"', suggestion: 'points' },
    ]);
  });

  it('inside http, pointing at the key', () => {
    expect(problemsOf(`${HEAD}checks:\n  - name: a\n    http: { path: /, stauts: 404 }\n`)).toEqual([
      { line: 5, column: 22, key: 'checks[0].http.stauts', message: 'unknown key "stauts"', suggestion: 'status' },
    ]);
  });

  it('a kind key written on the check says where it belongs', () => {
    expect(problemsOf(`${HEAD}checks:\n  - name: a\n    port: 80\n    tcp: {}\n`)).toEqual([
      { line: 5, column: 5, key: 'checks[0].port', message: 'unknown key "port" (it belongs inside the check\'s http or tcp block)' },
    ]);
  });

  it('a misspelled kind key gets "did you mean" and no extra "found none"', () => {
    expect(problemsOf(`${HEAD}checks:\n  - name: a\n    htpp: {}\n`)).toEqual([
      { line: 5, column: 5, key: 'checks[0].htpp', message: 'unknown key "htpp"', suggestion: 'http' },
    ]);
  });

  it('no suggestion when nothing is close', () => {
    expect(problemsOf(`${HEAD}checks: [{name: a, build: true}]\nwhatever: 1\n`)).toEqual([
      { line: 4, column: 1, key: 'whatever', message: 'unknown key "whatever"' },
    ]);
  });
});

describe('wrong values', () => {
  it('a wrong enum value lists the allowed ones and suggests the closest', () => {
    expect(problemsOf(`${HEAD}checks:\n  - name: a\n    visibility: hiden\n    build: true\n`)).toEqual([
      {
        line: 5,
        column: 17,
        key: 'checks[0].visibility',
        message: 'must be one of: visible, hidden, after_due, found "hiden"',
        suggestion: 'hidden',
      },
    ]);
  });

  it('an unknown Dockerfile rule suggests the closest rule', () => {
    const [problem] = problemsOf(`${HEAD}checks:\n  - name: a\n    dockerfile: { rule: non-root }\n`);
    expect(problem).toMatchObject({ line: 5, column: 25, key: 'checks[0].dockerfile.rule', suggestion: 'non-root-user' });
    expect(problem!.message).toBe(`must be one of: ${DOCKERFILE_RULES.join(', ')}, found "non-root"`);
  });

  it('an HTTP method in lower case suggests the upper-case one', () => {
    expect(problemsOf(`${HEAD}checks:\n  - name: a\n    http: { method: post }\n`)).toEqual([
      expect.objectContaining({ line: 5, column: 21, key: 'checks[0].http.method', suggestion: 'POST' }),
    ]);
  });

  it('a bad duration says what a duration looks like', () => {
    expect(problemsOf(`${HEAD}build: { timeout: 5 minutes }\nchecks: [{name: a, build: true}]\n`)).toEqual([
      {
        line: 3,
        column: 19,
        key: 'build.timeout',
        message: 'must be a duration such as 30s, 5m, 500ms or a number of seconds, found "5 minutes"',
      },
    ]);
  });

  it('a bad size says what a size looks like', () => {
    expect(problemsOf(`${HEAD}limits:\n  memory: lots\nchecks: [{name: a, build: true}]\n`)).toEqual([
      { line: 4, column: 11, key: 'limits.memory', message: 'must be a size such as 250MB, 512m, 1GiB or a number of bytes, found "lots"' },
    ]);
  });

  it('a matcher of the wrong type gets one message, not one per branch', () => {
    expect(problemsOf(`${HEAD}checks:\n  - name: a\n    logs: [x]\n`)).toEqual([
      {
        line: 5,
        column: 11,
        key: 'checks[0].logs',
        message: 'must be text, or a mapping with any of equals, contains, matches, not_contains, found a list',
      },
    ]);
  });

  it('a matcher object with an unknown key reports only that key', () => {
    expect(problemsOf(`${HEAD}checks:\n  - name: a\n    logs: { contain: x }\n`)).toEqual([
      { line: 5, column: 13, key: 'checks[0].logs.contain', message: 'unknown key "contain"', suggestion: 'contains' },
    ]);
  });

  it('an empty matcher object lists the keys it needs', () => {
    expect(problemsOf(`${HEAD}checks:\n  - name: a\n    http: { body: {} }\n`)).toEqual([
      { line: 5, column: 19, key: 'checks[0].http.body', message: 'needs at least one of: equals, contains, matches, not_contains' },
    ]);
  });

  it('build: false is not a build check', () => {
    expect(problemsOf(`${HEAD}checks:\n  - name: a\n    build: false\n`)).toEqual([
      { line: 5, column: 12, key: 'checks[0].build', message: 'must be true, {} or a mapping with max_time, found false' },
    ]);
  });

  it('wrong type, out of range and wrong version', () => {
    expect(problemsOf('rubric: 2\ntitle: T\npass: 120\nchecks:\n  - name: a\n    points: many\n    http: { status: 99 }\n')).toEqual([
      { line: 1, column: 9, key: 'rubric', message: 'must be 1, found 2' },
      { line: 3, column: 7, key: 'pass', message: 'must be at most 100, found 120' },
      { line: 6, column: 13, key: 'checks[0].points', message: 'must be a number, found "many"' },
      { line: 7, column: 21, key: 'checks[0].http.status', message: 'must be at least 100, found 99' },
    ]);
  });

  it('matcher keys on a dockerfile rule', () => {
    expect(problemsOf(`${HEAD}checks:\n  - name: a\n    dockerfile: { rule: expose, contains: "80" }\n`)).toEqual([
      { line: 5, column: 33, key: 'checks[0].dockerfile.contains', message: '"contains" can only be used together with "instruction"' },
    ]);
  });
});

describe('kind keys', () => {
  it('two kind keys: points at the second one', () => {
    expect(problemsOf(`${HEAD}checks:\n  - name: a\n    http: {}\n    tcp: {}\n`)).toEqual([
      { line: 6, column: 5, key: 'checks[0]', message: `a check needs exactly one of: ${KINDS}; found both http and tcp` },
    ]);
  });

  it('three kind keys', () => {
    const [problem] = problemsOf(`${HEAD}checks:\n  - name: a\n    http: {}\n    tcp: {}\n    logs: x\n`);
    expect(problem!.message).toBe(`a check needs exactly one of: ${KINDS}; found http, tcp and logs`);
  });

  it('no kind key: points at the check', () => {
    expect(problemsOf(`${HEAD}checks:\n  - name: a\n    points: 2\n`)).toEqual([
      { line: 4, column: 5, key: 'checks[0]', message: `a check needs exactly one of: ${KINDS}; found none` },
    ]);
  });

  it('dockerfile needs exactly one of rule, rules and instruction', () => {
    expect(
      problemsOf(`${HEAD}checks:\n  - name: a\n    dockerfile: {}\n  - name: b\n    dockerfile: { rule: expose, instruction: EXPOSE }\n`),
    ).toEqual([
      { line: 5, column: 17, key: 'checks[0].dockerfile', message: 'needs exactly one of: rule, rules, instruction; found none' },
      {
        line: 7,
        column: 33,
        key: 'checks[1].dockerfile',
        message: 'needs exactly one of: rule, rules, instruction; found both rule and instruction',
      },
    ]);
  });
});

describe('semantic problems', () => {
  it('a regex that does not compile', () => {
    expect(problemsOf(`${HEAD}checks:\n  - name: a\n    exec: { command: [ls], stdout: { matches: "a(" } }\n`)).toEqual([
      { line: 5, column: 47, key: 'checks[0].exec.stdout.matches', message: 'not a valid regular expression: missing closing ): `a(`' },
    ]);
  });

  it('a regex only a backtracking engine can run: backreferences and lookaround, wherever a pattern goes', () => {
    const text = [
      `${HEAD}service: { ready: { log: "(?<=port )\\\\d+" } }`,
      'checks:',
      '  - name: a',
      '    file: { path: x, matches: "(a)\\\\1" }',
      '  - name: b',
      '    http: { response_headers: { X-A: { matches: "^(?!bad)" } } }',
      '',
    ].join('\n');
    expect(problemsOf(text)).toEqual([
      {
        line: 3,
        column: 26,
        key: 'service.ready.log',
        message:
          'not a valid regular expression: invalid named capture: `(?<=port )\\d+` (rubric patterns use RE2 syntax, which has no lookahead or lookbehind)',
      },
      {
        line: 6,
        column: 31,
        key: 'checks[0].file.matches',
        message:
          'not a valid regular expression: invalid escape sequence: `\\1` (rubric patterns use RE2 syntax, which has no backreferences)',
      },
      {
        line: 8,
        column: 49,
        key: 'checks[1].http.response_headers.X-A.matches',
        message:
          'not a valid regular expression: invalid or unsupported Perl syntax: `(?!` (rubric patterns use RE2 syntax, which has no lookahead or lookbehind)',
      },
    ]);
  });

  it('a regex too large to search student output quickly', () => {
    expect(problemsOf(`${HEAD}checks:\n  - name: a\n    logs: { matches: "[0-9a-f]{200}" }\n`)).toEqual([
      {
        line: 5,
        column: 22,
        key: 'checks[0].logs.matches',
        message:
          'regular expression too complex: it compiles to 202 RE2 instructions, at most 100 are allowed (large counted repetitions such as {100} cost the most)',
      },
    ]);
  });

  it('a duplicate explicit id, pointing at the second', () => {
    expect(problemsOf(`${HEAD}checks:\n  - id: x\n    name: a\n    build: true\n  - id: x\n    name: b\n    build: true\n`)).toEqual([
      { line: 7, column: 9, key: 'checks[1].id', message: 'duplicate id "x": checks[0] (line 4) already uses it' },
    ]);
  });

  it('after_due without a due date', () => {
    expect(problemsOf(`${HEAD}checks:\n  - name: a\n    visibility: after_due\n    build: true\n`)).toEqual([
      { line: 5, column: 17, key: 'checks[0].visibility', message: '"after_due" needs a top-level "due" date; add one or use "hidden"' },
    ]);
  });

  it('a due date that does not exist', () => {
    expect(problemsOf(`${HEAD}due: 2025-02-30\nchecks: [{name: a, build: true}]\n`)).toEqual([
      { line: 3, column: 6, key: 'due', message: 'not a real date: "2025-02-30" (write e.g. 2025-06-01 or 2025-06-01T23:59:00+09:00)' },
    ]);
  });

  it('a due that is not a date at all is a schema problem', () => {
    expect(problemsOf(`${HEAD}due: next friday\nchecks: [{name: a, build: true}]\n`)).toEqual([
      {
        line: 3,
        column: 6,
        key: 'due',
        message: 'must be an ISO date such as 2025-06-01 or 2025-06-01T23:59:00+09:00, found "next friday"',
      },
    ]);
  });

  it('http and tcp checks without any port are fine (EXPOSE decides at run time)', () => {
    expect(() => parseRubric(`${HEAD}checks: [{name: a, http: {}}, {name: b, tcp: {}}]\n`, 'p.yml')).not.toThrow();
  });
});

describe('structure', () => {
  it('missing checks', () => {
    expect(problemsOf(HEAD)).toEqual([{ line: 1, column: 1, key: '', message: 'missing required key "checks"' }]);
  });

  it('an empty checks list', () => {
    expect(problemsOf(`${HEAD}checks: []\n`)).toEqual([{ line: 3, column: 9, key: 'checks', message: 'must not be an empty list' }]);
  });

  it('an empty file', () => {
    expect(problemsOf('# nothing yet\n')).toEqual([
      { line: 1, column: 1, key: '', message: 'the rubric must be a mapping with rubric, title and checks, found nothing' },
    ]);
  });

  it('a check missing its name, and a check that is not a mapping', () => {
    expect(problemsOf(`${HEAD}checks:\n  - build: true\n  - just text\n`)).toEqual([
      { line: 4, column: 5, key: 'checks[0]', message: 'missing required key "name"' },
      { line: 5, column: 5, key: 'checks[1]', message: 'must be a mapping, found "just text"' },
    ]);
  });
});

describe('YAML syntax', () => {
  it('reports the line and column of the syntax error', () => {
    expect(problemsOf(`${HEAD}checks:\n  - name: a\n    build: [true\n  - name: b\n`)).toEqual([
      expect.objectContaining({ line: 6, column: 3, key: '', message: expect.stringMatching(/^YAML syntax error: /) }),
    ]);
  });

  it('duplicate keys', () => {
    expect(problemsOf(`${HEAD}title: again\nchecks: [{name: a, build: true}]\n`)).toEqual([
      { line: 3, column: 1, key: '', message: 'duplicate key "title": each key may appear once per mapping' },
    ]);
  });

  it('broken JSON', () => {
    const [problem] = problemsOf('{\n  "rubric": 1,\n  "title": "T"\n  "checks": []\n}\n', 'r.json');
    expect(problem).toMatchObject({ line: 4, key: '' });
  });
});

describe('every problem at once', () => {
  it('collects schema problems from all checks in source order', () => {
    const problems = problemsOf(`${HEAD}checks:\n  - name: a\n    http: { stauts: 1 }\n  - name: b\n    visibility: x\n    build: true\n`);
    expect(problems.map((p) => `${p.line}:${p.column} ${p.key}`)).toEqual(['5:13 checks[0].http.stauts', '7:17 checks[1].visibility']);
  });

  it('collects semantic problems together too', () => {
    const problems = problemsOf(
      `${HEAD}checks:\n  - id: x\n    name: a\n    logs: { matches: "[" }\n  - id: x\n    name: b\n    visibility: after_due\n    build: true\n`,
    );
    expect(problems.map((p) => p.key)).toEqual(['checks[0].logs.matches', 'checks[1].id', 'checks[1].visibility']);
  });

  it('the error message lists file:line:column for each problem', () => {
    expect(() => parseRubric(`${HEAD}checks:\n  - name: a\n    http: { stauts: 1 }\n`, 'web.yml')).toThrow(
      'invalid rubric web.yml\nweb.yml:5:13: checks[0].http.stauts: unknown key "stauts" (did you mean "status"?)',
    );
  });
});

describe('loading', () => {
  it('an unknown built-in name lists the available ones', async () => {
    await expect(loadRubric('no-such-rubric-xyz')).rejects.toThrow(
      /unknown rubric "no-such-rubric-xyz".*(built-in rubrics: |no built-in rubrics are installed)/,
    );
  });

  it('a missing file', async () => {
    await expect(loadRubric('test/fixtures/rubrics/missing.yml')).rejects.toThrow(
      'rubric file not found: test/fixtures/rubrics/missing.yml',
    );
  });

  it('a broken fixture file names the path given', async () => {
    await expect(loadRubric('test/fixtures/rubrics/broken.yml')).rejects.toThrow(
      'test/fixtures/rubrics/broken.yml:4:5: checks[0]: a check needs exactly one of',
    );
  });
});
