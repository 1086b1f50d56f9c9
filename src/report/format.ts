/** Wording shared by every renderer: scores, verdicts, commits. Plain text, not yet escaped. */
import type { CheckResult, GradeResult } from '../basics/results.js';

/** `72`, `72.5`, `0.33`: at most two decimals, no trailing zeros. */
export function formatNumber(n: number): string {
  return String(Math.round(n * 100) / 100);
}

/** `72 / 100 (72%)`, or undefined when the run is ungradable (never a false `0 / 100`). */
export function formatScore(result: GradeResult, separator = ' / '): string | undefined {
  if (result.status === 'ungradable' || result.score === null) return undefined;
  const percent = result.percent === null ? '' : ` (${formatNumber(result.percent)}%)`;
  return `${formatNumber(result.score)}${separator}${formatNumber(result.max_score)}${percent}`;
}

/** `passed`, `passed (pass mark 60%)`, `below the pass mark of 60%`, `failed`. */
export function formatVerdict(result: GradeResult): string {
  const threshold = result.pass_threshold;
  if (result.passed) return threshold === undefined ? 'passed' : `passed (pass mark ${formatNumber(threshold)}%)`;
  return threshold === undefined ? 'failed' : `below the pass mark of ${formatNumber(threshold)}%`;
}

export function formatPoints(check: CheckResult): string {
  return `${formatNumber(check.points)}/${formatNumber(check.max_points)}`;
}

/** The first seven characters of a commit id, as git shows it. */
export function shortCommit(commit: string): string {
  return commit.slice(0, 7);
}

/** `Dockerfile:3` or `Dockerfile:3-5`. */
export function formatLocation(location: { path: string; line: number; endLine?: number }): string {
  const end = location.endLine !== undefined && location.endLine !== location.line ? `-${location.endLine}` : '';
  return `${location.path}:${location.line}${end}`;
}

/** Every place a check points at: `locations` when there are several, else `location`. */
export function checkLocations(check: CheckResult): { path: string; line: number; endLine?: number }[] {
  if (check.hidden) return [];
  if (check.locations?.length) return check.locations;
  return check.location ? [check.location] : [];
}

/** What a concealed check may show: name, status and points only, whatever else the result carries. */
export function visibleDetails(check: CheckResult): Pick<CheckResult, 'expected' | 'actual' | 'output'> {
  if (check.hidden) return {};
  return { expected: check.expected, actual: check.actual, output: check.output };
}
