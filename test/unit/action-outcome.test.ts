import { describe, expect, it } from 'vitest';
import { REPORT_MARKER } from '../../src/action/comment.js';
import { checkCompletion, commentBody, describeNotGraded, stepFailure, summaryMarkdown, type Outcome } from '../../src/action/outcome.js';
import { writeFailureWarning } from '../../src/action/write-failure.js';
import { RubricError, UserError } from '../../src/basics/errors.js';
import type { GradeResult } from '../../src/basics/results.js';

const graded = (overrides: Partial<GradeResult> = {}): GradeResult => ({
  rubric: { title: 'Dockerfile homework', source: 'web' },
  locale: 'en',
  submission: { source: '.' },
  status: 'graded',
  score: 80,
  max_score: 100,
  percent: 80,
  pass_threshold: 60,
  passed: true,
  duration_ms: 10,
  checks: [
    {
      id: 'from',
      name: 'Pinned base',
      kind: 'dockerfile',
      status: 'failed',
      points: 0,
      max_points: 20,
      message: 'uses :latest',
      location: { path: 'Dockerfile', line: 1 },
      duration_ms: 1,
    },
  ],
  ...overrides,
});

const rubricError = new RubricError('rubric.yml', [
  { file: 'rubric.yml', line: 3, column: 5, key: 'checks[0].http.status', message: 'must be a number' },
  { file: 'rubric.yml', line: 9, column: 1, key: 'pass', message: 'must be at most 100' },
]);

describe('stepFailure', () => {
  it('passes at or above the pass mark', () => {
    expect(stepFailure({ result: graded() })).toBeUndefined();
  });

  it('fails below the pass mark, when ungradable, and when nothing was graded, with one line', () => {
    const below = stepFailure({ result: graded({ score: 40, percent: 40, passed: false }) });
    expect(below).toMatch(/40\/100.*below the pass mark of 60%/);
    expect(
      stepFailure({
        result: graded({ status: 'ungradable', score: null, percent: null, passed: false, reason: 'the engine does not answer\nmore' }),
      }),
    ).toBe('grader: not graded: the engine does not answer');
    const broken = stepFailure({ notGraded: describeNotGraded(rubricError) });
    expect(broken).toBe(
      'grader: invalid rubric: rubric.yml:3:5: checks[0].http.status: must be a number (and 1 more problem; see the job summary)',
    );
    for (const line of [below, broken]) expect(line).not.toContain('\n');
  });
});

describe('describeNotGraded', () => {
  it('tells user faults from internal errors', () => {
    expect(describeNotGraded(new UserError('submission folder not found: /x')).headline).toBe(
      'grader: not graded: submission folder not found: /x',
    );
    expect(describeNotGraded(new TypeError('boom')).headline).toBe('grader: internal error: boom');
  });
});

describe('the texts of a run', () => {
  it('starts the comment with the marker, for graded and not-graded runs alike', () => {
    expect(commentBody({ result: graded() }).startsWith(`${REPORT_MARKER}\n`)).toBe(true);
    const notGraded = commentBody({ notGraded: describeNotGraded(rubricError) });
    expect(notGraded.startsWith(`${REPORT_MARKER}\n`)).toBe(true);
    expect(notGraded).toContain('must be at most 100');
  });

  it('completes the check run with the conclusion and annotations', () => {
    const completion = checkCompletion({ result: graded({ passed: false, score: 40, percent: 40 }) }, '');
    expect(completion.conclusion).toBe('failure');
    expect(completion.title).toContain('40/100');
    expect(completion.annotations).toHaveLength(1);
    expect(checkCompletion({ result: graded() }, undefined).annotations).toBeUndefined();
    expect(checkCompletion({ notGraded: describeNotGraded(rubricError) }, '').conclusion).toBe('neutral');
    const cancelled: Outcome = { result: graded(), cancelled: true };
    expect(checkCompletion(cancelled, '').conclusion).toBe('cancelled');
  });

  it('puts warnings above the report in the job summary', () => {
    const warning = writeFailureWarning(
      Object.assign(new Error('Resource not accessible by integration'), { status: 403 }),
      'comment',
      true,
    );
    const summary = summaryMarkdown({ result: graded() }, [warning]);
    expect(summary.startsWith('> [!WARNING]\n> this pull request comes from a fork: the token is read-only')).toBe(true);
    expect(summary).toContain('Pinned base');
  });
});

describe('the texts of a Korean run', () => {
  const korean = (overrides: Partial<GradeResult> = {}) => graded({ locale: 'ko', ...overrides });

  it('says an ungradable run is not the student’s fault, in the step’s failure line', () => {
    const ungradable = korean({
      status: 'ungradable',
      score: null,
      percent: null,
      passed: false,
      reason: '도커 엔진이 응답하지 않습니다\n자세히',
    });
    expect(stepFailure({ result: ungradable })).toBe('grader: 채점 불가(학생의 잘못이 아닙니다): 도커 엔진이 응답하지 않습니다');
    expect(stepFailure({ result: korean({ score: 40, percent: 40, passed: false }) })).toBe('grader: 40/100점 (40%) — 통과 기준 60% 미달');
  });

  it('titles the check run and the summary of a run that was not graded in the language asked for', () => {
    const notGraded = describeNotGraded(new UserError('submission folder not found: /x'), 'ko');
    expect(notGraded.headline).toBe('grader: 채점하지 못함: submission folder not found: /x');
    const completion = checkCompletion({ notGraded }, '');
    expect(completion.title).toBe('grader: 채점하지 못함');
    expect(completion.summary.startsWith('## grader: 채점하지 못함\n')).toBe(true);
    expect(checkCompletion({ notGraded, cancelled: true }, '').title).toBe('grader: 취소됨');
    expect(summaryMarkdown({ notGraded }, []).startsWith('## grader: 채점하지 못함\n')).toBe(true);
    // Rubric problems are the instructor's, in English whatever the students read.
    expect(describeNotGraded(rubricError, 'ko').headline).toMatch(/^grader: invalid rubric: /);
  });
});

describe.each(['en', 'ko'] as const)('the comment against hostile student text (%s)', (locale) => {
  it('holds the marker once, at its start, and no live @mention or tag', () => {
    const evil = `${REPORT_MARKER} @teacher <script>alert("채점")</script>`;
    const body = commentBody({
      result: graded({
        locale,
        submission: { source: evil, ref: evil },
        checks: [{ ...graded().checks[0]!, message: evil, feedback: evil, expected: evil, actual: evil, output: evil }],
      }),
    });
    expect(body.startsWith(`${REPORT_MARKER}\n`)).toBe(true);
    expect(body.split(REPORT_MARKER)).toHaveLength(2);
    expect(body).not.toMatch(/@teacher|<script/);
  });
});

describe('writeFailureWarning', () => {
  const forbidden = Object.assign(new Error('Resource not accessible by integration'), { status: 403 });
  it('explains a fork token, a missing permission, and anything else', () => {
    expect(writeFailureWarning(forbidden, 'check run', true)).toMatch(/comes from a fork: the token is read-only.*workflow_run/);
    expect(writeFailureWarning(forbidden, 'check run', false)).toMatch(/permissions: checks: write/);
    expect(writeFailureWarning(forbidden, 'comment', false)).toMatch(/permissions: pull-requests: write/);
    expect(writeFailureWarning(new Error('socket hang up'), 'comment', false)).toBe(
      'could not post the comment: socket hang up. The report is in this job summary.',
    );
  });
});
