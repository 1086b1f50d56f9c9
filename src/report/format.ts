/** Wording shared by every renderer: scores, verdicts, commits. Plain text, not yet escaped. */
import { DEFAULT_LOCALE, isLocale, translator, type Locale, type Translate } from '../basics/i18n/catalogue.js';
import { isPartial, type CheckResult, type GradeResult } from '../basics/results.js';
import type { OmittedNote } from '../basics/sanitize.js';

/** The words of a finished result's language; a result saved before results carried one is English. */
export function reportTranslator(locale: Locale | undefined): Translate {
  return translator(isLocale(locale) ? locale : DEFAULT_LOCALE);
}

/** `… 1,234 characters omitted …` (`… 1,234자 생략 …`): the note put where student text was cut. */
export function omittedNoteIn(tr: Translate): OmittedNote {
  return (count) => tr('report.omitted', { count: count.toLocaleString('en-US') });
}

/** `72`, `72.5`, `0.33`: at most two decimals, no trailing zeros. */
export function formatNumber(n: number): string {
  return String(Math.round(n * 100) / 100);
}

/** `72 / 100 (72%)` (`72 / 100점 (72%)`), or undefined when the run is ungradable (never a false `0 / 100`). */
export function formatScore(result: GradeResult, separator = ' / ', tr = reportTranslator(result.locale)): string | undefined {
  if (result.status === 'ungradable' || result.score === null) return undefined;
  const score = formatNumber(result.score);
  const max = formatNumber(result.max_score);
  if (result.percent === null) return tr('report.score.total', { score, separator, max });
  return tr('report.score.total_percent', { score, separator, max, percent: formatNumber(result.percent) });
}

/** `passed`, `passed (pass mark 60%)`, `below the pass mark of 60%`, `failed`. */
export function formatVerdict(result: GradeResult, tr = reportTranslator(result.locale)): string {
  const threshold = result.pass_threshold === undefined ? undefined : formatNumber(result.pass_threshold);
  if (result.passed) return threshold === undefined ? tr('report.verdict.passed') : tr('report.verdict.passed_mark', { threshold });
  return threshold === undefined ? tr('report.verdict.failed') : tr('report.verdict.below_mark', { threshold });
}

/** `5/10` (`5/10점`). */
export function formatPoints(check: CheckResult, tr: Translate): string {
  return tr('report.points', { points: formatNumber(check.points), max: formatNumber(check.max_points) });
}

/** `5/10`, or `3/5 (partial)` for a check that earned part of its points without passing. */
export function formatEarnedPoints(check: CheckResult, tr: Translate): string {
  const points = formatPoints(check, tr);
  return isPartial(check) ? tr('report.check.partial_points', { points }) : points;
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
