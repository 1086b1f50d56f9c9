/** Wording shared by the class outputs (grades.csv, summary, dashboard, gradebooks). Plain text, not yet escaped. */
import type { ClassResult, StudentRow } from '../basics/class-results.js';
import { translator, type Locale } from '../basics/i18n/catalogue.js';

const MINUTE = 60_000;

/**
 * Whole minutes late, rounded up: work that came in seconds after the deadline is still
 * late, so a late row never shows 0. Undefined when nothing came after the deadline.
 */
export function lateMinutes(row: StudentRow): number | undefined {
  if (row.late_ms === undefined || row.late_ms <= 0) return undefined;
  return Math.ceil(row.late_ms / MINUTE);
}

/**
 * `3d 4h`, `2h 5m`, `12m` (`3일 4시간`, `2시간 5분`, `12분`): the same rounded-up minutes as
 * lateMinutes, in its two largest units. English unless `locale` says otherwise, as grades.csv wants.
 */
export function formatLate(row: StudentRow, locale: Locale = 'en'): string | undefined {
  const minutes = lateMinutes(row);
  if (minutes === undefined) return undefined;
  const tr = translator(locale);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  if (days > 0) return hours > 0 ? tr('class.late.days_hours', { days, hours }) : tr('class.late.days', { days });
  if (hours > 0) return rest > 0 ? tr('class.late.hours_minutes', { hours, minutes: rest }) : tr('class.late.hours', { hours });
  return tr('class.late.minutes', { minutes: rest });
}

/** `Kim, Minjun` (the gradebooks' order), one of the two when only one is known, or undefined. */
export function studentName(row: StudentRow): string | undefined {
  const first = row.first_name?.trim() ?? '';
  const last = row.last_name?.trim() ?? '';
  if (first && last) return `${last}, ${first}`;
  return first || last || undefined;
}

/** The row's score when it was graded; null otherwise (ungradable and missing rows have none, not 0). */
export function rowScore(row: StudentRow): number | null {
  return row.status === 'graded' && row.result?.status === 'graded' ? row.result.score : null;
}

/** The row's percent when graded, computed from the score when the result carries none. */
export function rowPercent(row: StudentRow): number | null {
  const score = rowScore(row);
  if (score === null || !row.result) return null;
  if (row.result.percent !== null) return row.result.percent;
  return row.result.max_score > 0 ? (score / row.result.max_score) * 100 : null;
}

/** Points a fully marked submission gets: the graded result's own total, else the rubric's. */
export function rowMaxScore(row: StudentRow, result: ClassResult): number {
  if (rowScore(row) !== null && row.result) return row.result.max_score;
  return rubricMaxScore(result);
}

export function rubricMaxScore(result: ClassResult): number {
  return result.rubric.checks.reduce((sum, check) => sum + check.max_points, 0);
}

/** `n` to at most `decimals` places, as a number (for CSV cells, which take numbers as they are). */
export function roundTo(n: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(n * factor) / factor;
}
