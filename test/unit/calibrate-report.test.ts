/**
 * From gradings to findings: which checks caught which mutant, what nothing tested, what
 * survived, what still passes; and the text and markdown views of it.
 */
import { describe, expect, it } from 'vitest';
import type { CheckResult, GradeResult } from '../../src/basics/results.js';
import { catches, gradedRow, summarise, type MutantRow } from '../../src/class/calibrate/calibration.js';
import type { Mutation } from '../../src/class/calibrate/mutation.js';
import { renderCalibrationJson, renderCalibrationMarkdown, renderCalibrationText } from '../../src/class/calibrate/render.js';

function check(id: string, points: number, max: number, status: CheckResult['status'] = points === max ? 'passed' : 'failed'): CheckResult {
  return { id, name: `Check ${id}`, kind: 'dockerfile', status, points, max_points: max, message: '', duration_ms: 0 };
}

function result(checks: CheckResult[], pass?: number): GradeResult {
  const score = checks.reduce((sum, c) => sum + c.points, 0);
  const max = checks.reduce((sum, c) => sum + c.max_points, 0);
  return {
    rubric: { title: 'Homework | 1', source: 'hw1.yml' },
    locale: 'en',
    submission: { source: 'solution' },
    status: 'graded',
    score,
    max_score: max,
    percent: Math.round((score / max) * 100),
    ...(pass !== undefined ? { pass_threshold: pass } : {}),
    passed: pass === undefined || (score / max) * 100 >= pass,
    duration_ms: 10,
    build: { ok: true, duration_ms: 1 },
    checks,
  };
}

const mutation = (name: string, origin: Mutation['origin'] = 'built-in'): Mutation => ({
  name,
  description: `the ${name} mistake`,
  origin,
  apply: () => Promise.resolve({ applied: true, change: '' }),
});

const solution = result([check('a', 10, 10), check('b', 10, 10), check('c', 5, 5), check('free', 0, 0)], 60);

function rows(): MutantRow[] {
  return [
    gradedRow(
      mutation('breaks-a'),
      'changed a',
      solution,
      result([check('a', 0, 10), check('b', 0, 10, 'skipped'), check('c', 5, 5), check('free', 0, 0)], 60),
      5,
    ),
    gradedRow(mutation('harmless', 'custom'), 'changed nothing', solution, result(solution.checks, 60), 5),
    gradedRow(
      mutation('half-b'),
      'changed b',
      solution,
      result([check('a', 10, 10), check('b', 5, 10), check('c', 5, 5), check('free', 0, 0)], 60),
      5,
    ),
    { name: 'n-a', description: 'does not apply', origin: 'built-in', status: 'not-applicable', reason: 'no USER', caught_by: [] },
    {
      ...gradedRow(
        mutation('lost'),
        'x',
        solution,
        { ...result(solution.checks), status: 'ungradable', reason: 'engine down', score: null },
        5,
      ),
    },
  ];
}

describe('what a mutant lost', () => {
  it('is every check that kept fewer points than on the solution, with how it lost them', () => {
    const mutant = result([check('a', 0, 10), check('b', 0, 10, 'skipped'), check('c', 5, 5), check('free', 0, 0)]);
    expect(catches(solution, mutant)).toEqual([
      { id: 'a', lost: 10, status: 'failed' },
      { id: 'b', lost: 10, status: 'skipped' },
    ]);
  });

  it('counts partial credit as caught', () => {
    expect(catches(solution, result([check('a', 10, 10), check('b', 4, 10), check('c', 5, 5)]))).toEqual([
      { id: 'b', lost: 6, status: 'failed' },
    ]);
  });
});

describe('the findings', () => {
  const calibration = summarise(solution, rows(), 99);

  it('names the untested checks (worth points), the survivors and the mutants that pass', () => {
    expect(calibration.untested).toEqual(['c']);
    expect(calibration.survivors).toEqual(['harmless']);
    expect(calibration.passing).toEqual(['harmless', 'half-b']);
    expect(calibration.rubric).toEqual({ title: 'Homework | 1', source: 'hw1.yml', pass_threshold: 60 });
    expect(calibration.mutations.find((r) => r.name === 'lost')).toMatchObject({ status: 'ungradable', reason: 'engine down' });
  });

  it('has no "passing" list when the rubric sets no pass mark', () => {
    const noPass = summarise({ ...solution, pass_threshold: undefined } as GradeResult, rows(), 1);
    expect(noPass.passing).toBeUndefined();
    expect(renderCalibrationText(noPass)).toContain('Mutants that still pass: the rubric sets no pass mark:\n  none\n');
  });

  it('renders the text matrix with a column per check and a mark per catch', () => {
    const text = renderCalibrationText(calibration);
    expect(text).toContain(
      [
        '  mutation       score  1 2 3 4',
        '  breaks-a        5/25  ✗ ○ · ·',
        '  harmless       25/25  · · · ·',
        '  half-b         20/25  · ✗ · ·',
        '  lost      ungradable  ? ? ? ?',
      ].join('\n'),
    );
    expect(text).toContain('  n-a       skipped: no USER\n');
    expect(text).toContain('Checks no mutation made lose points (untested: 5 of 25 points):\n  c: Check c (5 points)\n');
    expect(text).toContain('Not graded (the matrix lacks them):\n  lost: engine down\n');
  });

  it('renders markdown with every cell escaped', () => {
    const markdown = renderCalibrationMarkdown(calibration);
    expect(markdown).toContain('# Calibration: Homework \\| 1\n');
    expect(markdown).toContain('| breaks-a | 5/25 | ✗ | ○ | · | · |\n');
    expect(markdown).toContain('| harmless (custom) | the harmless mistake | changed nothing | 0 |\n');
    expect(markdown).toContain('| 3 | c: Check c | 5 | **never** |\n');
  });

  it('writes JSON that reads back as the same calibration', () => {
    expect(JSON.parse(renderCalibrationJson(calibration))).toEqual(JSON.parse(JSON.stringify(calibration)));
    expect(calibration.schema).toBe('grader/calibration/v1');
  });
});
