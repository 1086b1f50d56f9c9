import { describe, expect, it } from 'vitest';
import type { GradeResult } from '../../src/basics/results.js';
import { classroom50ContextFromEnv, toClassroom50Result } from '../../src/report/classroom50.js';
import { classFixture, fixtureResult } from '../helpers/class-fixture.js';

const NOW = new Date('2026-06-01T14:33:11.789Z');

const RUNNER_ENV = {
  CLASSROOM: 'cs-principles',
  ASSIGNMENT: 'hello',
  SUBMISSION_TAG: 'submit/2026-06-01T14-32-05Z-a1b2c3d',
  COMMIT_URL: 'https://github.com/org/hello-alice/commit/a1b2c3d',
  RELEASE_URL: 'https://github.com/org/hello-alice/releases/tag/submit%2F2026-06-01T14-32-05Z-a1b2c3d',
  REVIEW_URL: 'https://github.com/org/hello-alice/compare/base...a1b2c3d',
  OWNER: 'alice',
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_REPOSITORY: 'org/hello-alice',
  GITHUB_SHA: 'a1b2c3d',
};

/** mallory's run from the class fixture: 12.5 of 30 points, one check with 2.5. */
function partial(): GradeResult {
  return classFixture().students[2]!.result!;
}

function parse(text: string) {
  return JSON.parse(text) as Record<string, unknown> & {
    tests: { 'test-name': string; passed: boolean; score: number; 'max-score': number }[];
  };
}

describe('toClassroom50Result', () => {
  const context = classroom50ContextFromEnv(RUNNER_ENV, NOW, '2026-06-01T23:32:01+09:00');
  const text = toClassroom50Result(classFixture().students[0]!.result!, context);
  const json = parse(text);

  it('writes the contract fields, pretty printed with a trailing newline, and nothing the runner stamps', () => {
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toContain('\n  "schema": "classroom50/result/v1",\n');
    expect(Object.keys(json)).toEqual([
      'schema',
      'classroom',
      'assignment',
      'submission',
      'commit',
      'release',
      'review',
      'datetime',
      'graded_at',
      'score',
      'max-score',
      'tests',
    ]);
    expect(json).toMatchObject({
      schema: 'classroom50/result/v1',
      classroom: 'cs-principles',
      assignment: 'hello',
      submission: RUNNER_ENV.SUBMISSION_TAG,
      commit: RUNNER_ENV.COMMIT_URL,
      release: RUNNER_ENV.RELEASE_URL,
      review: RUNNER_ENV.REVIEW_URL,
    });
    expect(json).not.toHaveProperty('owner');
    expect(json).not.toHaveProperty('assignment_type');
  });

  it('dates the submission by its commit, in UTC whole seconds, and the grading by now', () => {
    expect(json.datetime).toBe('2026-06-01T14:32:01Z');
    expect(json.graded_at).toBe('2026-06-01T14:33:11Z');
  });

  it('falls back to now when the commit date is unknown or unreadable', () => {
    for (const committedAt of [undefined, 'not a date']) {
      const out = parse(toClassroom50Result(partial(), { ...context, committedAt }));
      expect(out.datetime).toBe('2026-06-01T14:33:11Z');
    }
  });

  it('has one test per check with exactly the four contract keys, and totals that are their sums', () => {
    expect(json.tests).toEqual([
      { 'test-name': 'Dockerfile is present', passed: true, score: 2, 'max-score': 2 },
      { 'test-name': 'Image builds', passed: true, score: 8, 'max-score': 8 },
      { 'test-name': 'Runs as a non-root user', passed: true, score: 5, 'max-score': 5 },
      { 'test-name': 'GET /ping answers 200', passed: true, score: 10, 'max-score': 10 },
      { 'test-name': 'Image is under 100 MB', passed: true, score: 5, 'max-score': 5 },
    ]);
    expect(json.score).toBe(30);
    expect(json['max-score']).toBe(30);
  });

  it('rounds fractional points half up per test and sums the rounded values', () => {
    const out = parse(toClassroom50Result(partial(), context));
    const ping = out.tests.find((t) => t['test-name'] === 'GET /ping answers 200')!;
    expect(ping).toEqual({ 'test-name': 'GET /ping answers 200', passed: false, score: 3, 'max-score': 10 });
    expect(out.score).toBe(2 + 8 + 0 + 3 + 0); // the exact total is 12.5
    expect(out.score).toBe(out.tests.reduce((s, t) => s + t.score, 0));
    expect(out['max-score']).toBe(out.tests.reduce((s, t) => s + t['max-score'], 0));

    // 1.4999999999999 is a half spoilt by float arithmetic; 1.49 is not a half.
    const noisy = fixtureResult('x', {
      'dockerfile-present': ['failed', 2.5],
      builds: ['failed', 1.4999999999999],
      'runs-as-user': ['failed', 1.49],
    });
    noisy.checks[0]!.max_points = 2.5;
    const rounded = parse(toClassroom50Result(noisy, context));
    expect(rounded.tests.map((t) => [t.score, t['max-score']])).toEqual([
      [3, 3],
      [2, 8],
      [1, 5],
    ]);
    expect([rounded.score, rounded['max-score']]).toEqual([6, 16]);
    for (const value of [rounded.score, rounded['max-score'], ...rounded.tests.flatMap((t) => [t.score, t['max-score']])]) {
      expect(Number.isInteger(value)).toBe(true);
    }
  });

  it('marks only passed checks as passed (failed, skipped and error are not)', () => {
    const result = fixtureResult('x', {
      'dockerfile-present': 'passed',
      builds: 'failed',
      'runs-as-user': 'skipped',
      'http-ping': 'error',
    });
    expect(parse(toClassroom50Result(result, context)).tests.map((t) => t.passed)).toEqual([true, false, false, false]);
  });

  it('gives colliding or hostile check names unique, one-line test names', () => {
    const result = fixtureResult('x', { 'dockerfile-present': 'passed', builds: 'passed', 'runs-as-user': 'passed' });
    result.checks[0]!.name = 'Works';
    result.checks[1]!.name = 'Works';
    result.checks[2]!.name = 'Works (builds)\n\x1b[31mred\x1b[0m';
    const names = parse(toClassroom50Result(result, context)).tests.map((t) => t['test-name']);
    expect(names[0]).toBe('Works (dockerfile-present)');
    expect(names[1]).toBe('Works (builds)');
    expect(names[2]).toBe('Works (builds) red');
    expect(new Set(names).size).toBe(names.length);

    result.checks[2]!.name = 'Works (builds)';
    const clashing = parse(toClassroom50Result(result, context)).tests.map((t) => t['test-name']);
    expect(new Set(clashing).size).toBe(3);
  });

  it('writes an empty test list and zero totals for a rubric with no checks', () => {
    const out = parse(toClassroom50Result(fixtureResult('x', {}), context));
    expect(out).toMatchObject({ score: 0, 'max-score': 0, tests: [] });
  });

  it('refuses an ungradable result', () => {
    const ungradable = classFixture().students[3]!.result!;
    expect(ungradable.status).toBe('ungradable');
    expect(() => toClassroom50Result(ungradable, context)).toThrow(/ungradable/);
  });

  it('uses the commit URL as the review URL when the runner gives none', () => {
    const { REVIEW_URL: _review, ...env } = RUNNER_ENV;
    const out = parse(toClassroom50Result(partial(), classroom50ContextFromEnv(env, NOW)));
    expect(out.review).toBe(RUNNER_ENV.COMMIT_URL);
  });
});

describe('classroom50ContextFromEnv', () => {
  it("reads the runner's variables", () => {
    expect(classroom50ContextFromEnv(RUNNER_ENV, NOW, '2026-06-01T14:32:01Z')).toEqual({
      classroom: 'cs-principles',
      assignment: 'hello',
      submission: RUNNER_ENV.SUBMISSION_TAG,
      commitUrl: RUNNER_ENV.COMMIT_URL,
      releaseUrl: RUNNER_ENV.RELEASE_URL,
      reviewUrl: RUNNER_ENV.REVIEW_URL,
      owner: 'alice',
      committedAt: '2026-06-01T14:32:01Z',
      now: NOW,
    });
  });

  it('takes USERNAME when OWNER is unset, and treats empty variables as unset', () => {
    const context = classroom50ContextFromEnv({ USERNAME: 'bob', OWNER: '', CLASSROOM: '  ' }, NOW);
    expect(context.owner).toBe('bob');
    expect(context.classroom).toBeUndefined();
  });

  it("builds the commit and release URLs from GitHub Actions' variables outside the runner", () => {
    const context = classroom50ContextFromEnv(
      {
        GITHUB_SERVER_URL: 'https://ghe.example.edu/',
        GITHUB_REPOSITORY: 'course/hw1-alice',
        GITHUB_SHA: 'deadbeef',
        SUBMISSION_TAG: 'submit/2026-06-01T14-32-05Z-deadbee',
      },
      NOW,
    );
    expect(context.commitUrl).toBe('https://ghe.example.edu/course/hw1-alice/commit/deadbeef');
    expect(context.releaseUrl).toBe('https://ghe.example.edu/course/hw1-alice/releases/tag/submit%2F2026-06-01T14-32-05Z-deadbee');
    expect(context.reviewUrl).toBeUndefined();
  });

  it('defaults the server to github.com and leaves URLs unset without a repository', () => {
    expect(classroom50ContextFromEnv({ GITHUB_REPOSITORY: 'o/r', GITHUB_SHA: 'abc' }, NOW).commitUrl).toBe(
      'https://github.com/o/r/commit/abc',
    );
    const bare = classroom50ContextFromEnv({}, NOW);
    expect(bare.commitUrl).toBeUndefined();
    expect(bare.releaseUrl).toBeUndefined();
    const out = JSON.parse(toClassroom50Result(partial(), bare)) as Record<string, unknown>;
    expect(out).toMatchObject({ classroom: '', assignment: '', submission: '', commit: '', release: '', review: '' });
  });
});
