/**
 * Classroom 50's `result.json` (schema `classroom50/result/v1`), which its runner reads from
 * the workspace after a custom autograder exits, so grader can serve as that autograder.
 * Only a graded result has one: when a run is ungradable the CLI writes none and exits
 * non-zero, and the runner records an infrastructure error instead of a false score.
 * `owner` and `assignment_type` are left out on purpose: the runner stamps them itself.
 */
import type { CheckResult, GradeResult } from '../basics/results.js';
import { cleanText } from '../basics/sanitize.js';

export const CLASSROOM50_SCHEMA = 'classroom50/result/v1';

export interface Classroom50Context {
  classroom?: string;
  assignment?: string;
  /** The submit tag's name. */
  submission?: string;
  commitUrl?: string;
  releaseUrl?: string;
  /** The diff from the starter code to the graded commit; the commit URL stands in when unknown. */
  reviewUrl?: string;
  /** The repository owner, as the runner gives it; not written (the runner stamps it), kept for logs. */
  owner?: string;
  /** ISO 8601. The graded commit's committer date. */
  committedAt?: string;
  now: Date;
}

interface Classroom50Test {
  'test-name': string;
  passed: boolean;
  score: number;
  'max-score': number;
}

export function toClassroom50Result(result: GradeResult, context: Classroom50Context): string {
  if (result.status !== 'graded' || result.score === null) {
    throw new Error('an ungradable run has no Classroom 50 result: exit non-zero and let the runner record the error');
  }
  const tests = testsOf(result.checks);
  const review = context.reviewUrl || context.commitUrl || '';
  const document = {
    schema: CLASSROOM50_SCHEMA,
    classroom: context.classroom ?? '',
    assignment: context.assignment ?? '',
    submission: context.submission ?? '',
    commit: context.commitUrl ?? '',
    release: context.releaseUrl ?? '',
    review,
    // The submission instant, which stays the same when the same commit is graded again.
    datetime: utcSeconds(parseDate(context.committedAt) ?? context.now),
    graded_at: utcSeconds(context.now),
    score: sum(tests.map((t) => t.score)),
    'max-score': sum(tests.map((t) => t['max-score'])),
    tests,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/**
 * Classroom 50 takes whole points only. Each check's points and maximum are rounded half
 * up, and the totals are the sums of the rounded values, so that the totals always agree
 * with the tests a student sees (the exact fractional total can differ by a point or so).
 */
function testsOf(checks: CheckResult[]): Classroom50Test[] {
  const names = checks.map((check) => oneLine(check.name) || check.id);
  const count = new Map<string, number>();
  for (const name of names) count.set(name, (count.get(name) ?? 0) + 1);
  const taken = new Set<string>();
  return checks.map((check, i) => {
    // Checks with the same name are told apart by their ids, which a rubric keeps unique.
    let name = count.get(names[i]!)! > 1 ? `${names[i]} (${check.id})` : names[i]!;
    while (taken.has(name)) name = `${name} (${check.id})`;
    taken.add(name);
    return {
      'test-name': name,
      passed: check.status === 'passed',
      score: wholePoints(check.points),
      'max-score': wholePoints(check.max_points),
    };
  });
}

/** Half up; the inner rounding drops float noise such as 2.4999999999 from 7.5 / 3. */
function wholePoints(points: number): number {
  const rounded = Math.round(Math.round(points * 1e6) / 1e6);
  return rounded === 0 ? 0 : rounded; // never -0
}

function sum(values: number[]): number {
  return values.reduce((total, v) => total + v, 0);
}

function oneLine(text: string): string {
  return cleanText(text).replace(/\s+/g, ' ').trim();
}

function parseDate(text: string | undefined): Date | undefined {
  if (!text) return undefined;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** `2026-06-01T14:32:01Z`: UTC, whole seconds, as the contract writes it. */
function utcSeconds(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/**
 * The context from the variables Classroom 50's runner sets (CLASSROOM, ASSIGNMENT,
 * SUBMISSION_TAG, COMMIT_URL, RELEASE_URL, REVIEW_URL, OWNER or USERNAME). Outside the
 * runner, the commit and release URLs are made from GitHub Actions' own variables.
 */
export function classroom50ContextFromEnv(env: NodeJS.ProcessEnv, now: Date, committedAt?: string): Classroom50Context {
  const get = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };
  const server = (get('GITHUB_SERVER_URL') ?? 'https://github.com').replace(/\/+$/, '');
  const repository = get('GITHUB_REPOSITORY');
  const sha = get('GITHUB_SHA');
  const submission = get('SUBMISSION_TAG');
  const repoUrl = repository ? `${server}/${repository}` : undefined;
  return {
    classroom: get('CLASSROOM'),
    assignment: get('ASSIGNMENT'),
    submission,
    commitUrl: get('COMMIT_URL') ?? (repoUrl && sha ? `${repoUrl}/commit/${sha}` : undefined),
    releaseUrl: get('RELEASE_URL') ?? (repoUrl && submission ? `${repoUrl}/releases/tag/${encodeURIComponent(submission)}` : undefined),
    reviewUrl: get('REVIEW_URL'),
    owner: get('OWNER') ?? get('USERNAME'),
    committedAt,
    now,
  };
}
