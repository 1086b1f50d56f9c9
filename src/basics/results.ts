/** The one result object every reporter renders. Its JSON form is a public contract. */
import type { CheckKind } from './check-kinds.js';
import type { Locale } from './i18n/catalogue.js';

export type CheckStatus = 'passed' | 'failed' | 'skipped' | 'error';

export interface SourceLocation {
  /** Path relative to the submission root, `/`-separated. */
  path: string;
  line: number;
  endLine?: number;
}

export interface CheckResult {
  id: string;
  name: string;
  kind: CheckKind;
  status: CheckStatus;
  points: number;
  max_points: number;
  /** One line saying what happened, e.g. `expected status 200, got 404`. */
  message: string;
  /** Hint from the rubric, shown when the check did not pass. */
  feedback?: string;
  /** What the check wanted and what it saw; absent when the check is hidden. */
  expected?: string;
  actual?: string;
  /** Output worth showing (response body, stdout, log tail); absent when hidden. */
  output?: string;
  location?: SourceLocation;
  /** Every place a dockerfile rule found fault with (the first is also `location`). */
  locations?: SourceLocation[];
  hidden?: boolean;
  duration_ms: number;
}

/** A check that did not pass but earned some of its points (some of its rules or requests passed). */
export function isPartial(check: Pick<CheckResult, 'status' | 'points'>): boolean {
  return check.status === 'failed' && check.points > 0;
}

export interface GradeResult {
  rubric: { title: string; source: string };
  /** The language the feedback is written in. */
  locale: Locale;
  /** `committed_at`: the graded commit's committer date (ISO 8601), when there is a commit. */
  submission: { source: string; commit?: string; committed_at?: string; ref?: string };
  status: 'graded' | 'ungradable';
  /** Why the run could not be graded (engine down, …). */
  reason?: string;
  /** Null when ungradable: no score is better than a false zero. */
  score: number | null;
  max_score: number;
  percent: number | null;
  /** The pass threshold in percent, when the rubric (or an override) sets one. */
  pass_threshold?: number;
  passed: boolean;
  duration_ms: number;
  build?: BuildSummary;
  /** Remarks on the whole run the student should read, in the result's language (a port the grader had to find). */
  notes?: string[];
  checks: CheckResult[];
}

export interface BuildSummary {
  ok: boolean;
  duration_ms: number;
  image_size?: number;
  /** The failing step and its output, when the build failed. */
  failing_step?: string;
  log_tail?: string;
}
