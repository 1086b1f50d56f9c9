/**
 * A realistic class result for the renderers' tests: ten students covering every row
 * status (graded with full, partial and no marks; ungradable with and without a run;
 * missing with no repository and with nothing before the deadline; late), Korean names,
 * and hostile roster text aimed at CSV, markdown and HTML. Every call returns a fresh copy.
 *
 * Figures the tests may rely on (percent of 30 points, pass mark 60%):
 *   graded: alice 100, kim-minjun 83.3, mallory 41.7, eve 33.3, frank 6.7, grace 83.3
 *   ungradable: bob (ran partly), trent (no run) · missing: carol (no repo), dave (late work only)
 *   late: dave 3d 4h, eve 2h 5m, mallory 45 s (shown as 1m)
 *   pass rates: image-size 1/5, runs-as-user 3/5, http-ping 3/4, builds 5/6, dockerfile-present 6/6
 */
import { CLASS_SCHEMA, type ClassCheck, type ClassResult, type StudentRow } from '../../src/basics/class-results.js';
import type { CheckKind } from '../../src/basics/check-kinds.js';
import type { CheckResult, CheckStatus, GradeResult } from '../../src/basics/results.js';

export const FIXTURE_TITLE = 'HW1: Containerise the web app';
export const FIXTURE_DEADLINE = '2026-03-02T14:59:00Z';
export const FIXTURE_PASS_THRESHOLD = 60;

/** Rubric order. 30 points in all. */
export const FIXTURE_CHECKS: (ClassCheck & { kind: CheckKind })[] = [
  { id: 'dockerfile-present', name: 'Dockerfile is present', max_points: 2, kind: 'file' },
  { id: 'builds', name: 'Image builds', max_points: 8, kind: 'build' },
  { id: 'runs-as-user', name: 'Runs as a non-root user', max_points: 5, kind: 'dockerfile' },
  { id: 'http-ping', name: 'GET /ping answers 200', max_points: 10, kind: 'http' },
  { id: 'image-size', name: 'Image is under 100 MB', max_points: 5, kind: 'image' },
];

/** Roster text that tries to break out of a CSV cell, a markdown table or an HTML page. */
export const HOSTILE = {
  formula: '=HYPERLINK("http://evil.example","click")',
  script: '<script>alert(1)</script>',
  pipes: 'A|B | C',
  mention: '@octocat\nsneaky',
  backticks: '`rm -rf /`|| x',
  formulaSection: '=1+1',
  formulaEmail: '+trent@example.edu',
  reason: 'could not run: <img src=x onerror=alert(1)> | @everyone ``` #1',
};

type Outcome = CheckStatus | [CheckStatus, number];

/** A run's result: each check's status, with points (full when passed, 0 otherwise, unless given). */
export function fixtureResult(
  source: string,
  outcomes: Partial<Record<string, Outcome>>,
  overrides: Partial<GradeResult> = {},
): GradeResult {
  const checks: CheckResult[] = FIXTURE_CHECKS.filter((c) => outcomes[c.id] !== undefined).map((c) => {
    const outcome = outcomes[c.id]!;
    const [status, points] = Array.isArray(outcome) ? outcome : [outcome, outcome === 'passed' ? c.max_points : 0];
    return {
      id: c.id,
      name: c.name,
      kind: c.kind,
      status,
      points,
      max_points: c.max_points,
      message: status === 'passed' ? 'passed' : `${c.name}: ${status}`,
      duration_ms: 10,
    };
  });
  const maxScore = FIXTURE_CHECKS.reduce((sum, c) => sum + c.max_points, 0);
  const score = checks.reduce((sum, c) => sum + c.points, 0);
  const percent = (score / maxScore) * 100;
  return {
    rubric: { title: FIXTURE_TITLE, source: 'rubrics/hw1.yml' },
    locale: 'en',
    submission: { source },
    status: 'graded',
    score,
    max_score: maxScore,
    percent,
    pass_threshold: FIXTURE_PASS_THRESHOLD,
    passed: percent >= FIXTURE_PASS_THRESHOLD,
    duration_ms: 4_000,
    checks,
    ...overrides,
  };
}

const ALL_PASSED = {
  'dockerfile-present': 'passed',
  builds: 'passed',
  'runs-as-user': 'passed',
  'http-ping': 'passed',
  'image-size': 'passed',
} as const;

function sha(seed: string): string {
  return seed.repeat(40).slice(0, 40);
}

function graded(row: Omit<StudentRow, 'status' | 'result'>, outcomes: Partial<Record<string, Outcome>>): StudentRow {
  const source = row.repository ?? row.username;
  return { ...row, status: 'graded', result: fixtureResult(source, outcomes, { submission: { source, commit: row.commit } }) };
}

export function classFixture(): ClassResult {
  const students: StudentRow[] = [
    graded(
      {
        index: 0,
        username: 'alice',
        first_name: 'Alice',
        last_name: 'Anders',
        email: 'alice@example.edu',
        section: 'A',
        github_id: '1001',
        repository: 'course-org/hw1-alice',
        commit: sha('a1'),
        committed_at: '2026-03-01T10:00:00Z',
        pushed_at: '2026-03-01T10:05:00Z',
        deadline_basis: 'push-time',
      },
      ALL_PASSED,
    ),
    graded(
      {
        index: 1,
        username: 'kim-minjun',
        first_name: '민준',
        last_name: '김',
        email: 'minjun@example.ac.kr',
        section: '분반 1',
        repository: 'course-org/hw1-kim-minjun',
        commit: sha('b2'),
        committed_at: '2026-03-02T13:00:00Z',
        pushed_at: '2026-03-02T13:01:00Z',
        deadline_basis: 'push-time',
      },
      { ...ALL_PASSED, 'image-size': 'failed' },
    ),
    graded(
      {
        index: 2,
        username: 'mallory',
        first_name: HOSTILE.formula,
        last_name: HOSTILE.script,
        email: 'mallory@example.edu',
        section: HOSTILE.pipes,
        repository: 'course-org/hw1-mallory',
        commit: sha('c3'),
        committed_at: '2026-03-02T01:00:00Z',
        pushed_at: '2026-03-02T01:00:30Z',
        deadline_basis: 'push-time',
        late_ms: 45_000,
      },
      {
        'dockerfile-present': 'passed',
        builds: 'passed',
        'runs-as-user': 'failed',
        'http-ping': ['failed', 2.5],
        'image-size': 'failed',
      },
    ),
    {
      index: 3,
      username: 'bob',
      first_name: 'Bob',
      last_name: 'Brown',
      email: 'bob@example.edu',
      section: 'A',
      repository: 'course-org/hw1-bob',
      commit: sha('d4'),
      committed_at: '2026-03-01T20:00:00Z',
      pushed_at: '2026-03-01T20:00:10Z',
      deadline_basis: 'push-time',
      status: 'ungradable',
      reason: 'the container engine stopped responding',
      result: fixtureResult(
        'course-org/hw1-bob',
        { 'dockerfile-present': 'passed' },
        { status: 'ungradable', reason: 'the container engine stopped responding', score: null, percent: null, passed: false },
      ),
    },
    {
      index: 4,
      username: 'carol',
      first_name: 'Carol',
      last_name: 'Chen',
      email: 'carol@example.edu',
      section: 'B',
      status: 'missing',
      reason: 'no repository',
    },
    {
      index: 5,
      username: 'dave',
      first_name: 'Dave',
      last_name: 'Diaz',
      email: 'dave@example.edu',
      section: 'B',
      repository: 'course-org/hw1-dave',
      deadline_basis: 'push-time',
      late_ms: (3 * 24 + 4) * 3_600_000,
      status: 'missing',
      reason: 'no commit before the deadline',
    },
    graded(
      {
        index: 6,
        username: 'eve',
        first_name: 'Eve',
        last_name: 'Evans',
        email: 'eve@example.edu',
        section: 'A',
        repository: 'course-org/hw1-eve',
        commit: sha('e5'),
        committed_at: '2026-03-02T14:00:00Z',
        pushed_at: '2026-03-02T14:30:00Z',
        deadline_basis: 'push-time',
        late_ms: 2 * 3_600_000 + 5 * 60_000,
      },
      {
        'dockerfile-present': 'passed',
        builds: 'passed',
        'runs-as-user': 'failed',
        'http-ping': 'error',
        'image-size': 'failed',
      },
    ),
    {
      index: 7,
      username: 'trent',
      first_name: HOSTILE.mention,
      last_name: HOSTILE.backticks,
      email: HOSTILE.formulaEmail,
      section: HOSTILE.formulaSection,
      repository: 'course-org/hw1-trent',
      commit: sha('f6'),
      committed_at: '2026-03-02T12:00:00Z',
      pushed_at: '2026-03-02T12:00:05Z',
      deadline_basis: 'push-time',
      status: 'ungradable',
      reason: HOSTILE.reason,
    },
    graded(
      {
        index: 8,
        username: 'frank',
        first_name: 'Frank',
        last_name: 'Fischer',
        email: 'frank@example.edu',
        section: 'B',
        repository: 'https://git.example.edu/course/hw1-frank.git',
        commit: sha('07'),
        committed_at: '2026-03-02T09:00:00Z',
        deadline_basis: 'committer-date',
      },
      {
        'dockerfile-present': 'passed',
        builds: 'failed',
        'runs-as-user': 'skipped',
        'http-ping': 'skipped',
        'image-size': 'skipped',
      },
    ),
    graded(
      {
        index: 9,
        username: 'grace',
        first_name: 'Grace',
        last_name: 'Hopper',
        email: 'grace@example.edu',
        section: 'B',
        roster_identifier: '20230001',
        repository: '/srv/repos/hw1-grace',
        commit: sha('18'),
        committed_at: '2026-03-02T11:00:00Z',
        deadline_basis: 'committer-date',
      },
      { ...ALL_PASSED, 'image-size': 'failed' },
    ),
  ];
  return {
    schema: CLASS_SCHEMA,
    locale: 'en',
    rubric: {
      title: FIXTURE_TITLE,
      source: 'rubrics/hw1.yml',
      digest: 'sha256:' + '0'.repeat(64),
      pass_threshold: FIXTURE_PASS_THRESHOLD,
      checks: FIXTURE_CHECKS.map(({ id, name, max_points }) => ({ id, name, max_points })),
    },
    grader_version: '0.1.0',
    deadline: FIXTURE_DEADLINE,
    generated_at: '2026-03-02T15:10:00Z',
    roster: { file: 'roster.csv', rows: students.length },
    students,
  };
}
