/**
 * summary.md: how the class did, for the instructor and for the job summary of the class
 * workflow. Counts, the score distribution, each check's pass rate (most failed first),
 * and the students who were ungradable, missing or late. Student text is escaped for
 * GitHub markdown, and the whole fits `maxLength`: the student lists are shortened first.
 */
import type { ClassCheck, ClassResult, StudentRow } from '../basics/class-results.js';
import type { Translate } from '../basics/i18n/catalogue.js';
import { clip, escapeInline } from '../basics/sanitize.js';
import { formatLate, roundTo, rowPercent, studentName } from './class-format.js';
import { formatNumber, reportTranslator } from './format.js';

export interface ClassSummaryOptions {
  /** Characters the whole summary may take. */
  maxLength?: number;
}

/** As for the single-submission report: under GitHub's comment and check-run limits, with room to spare. */
export const DEFAULT_SUMMARY_MAX_LENGTH = 65_000;

/** Longest instructor or student text shown in one cell. */
const CELL_CAP = 300;
const BAR_WIDTH = 30;
const BAR = '█';

export function renderClassSummary(result: ClassResult, options: ClassSummaryOptions = {}): string {
  const maxLength = options.maxLength ?? DEFAULT_SUMMARY_MAX_LENGTH;
  const tr = reportTranslator(result.locale);
  const rows = [...result.students].sort((a, b) => a.index - b.index);
  const lists = studentLists(rows, tr);
  const render = (cap: number) => renderSummary(result, rows, lists, cap, tr);

  const longest = Math.max(0, ...lists.map((list) => list.rows.length));
  if (render(longest).length <= maxLength) return render(longest);
  if (render(0).length > maxLength) return cutAtLine(render(0), maxLength, tr);
  // The most students per list that still fits.
  let fits = 0;
  let tooMany = longest;
  while (tooMany - fits > 1) {
    const mid = Math.floor((fits + tooMany) / 2);
    if (render(mid).length <= maxLength) fits = mid;
    else tooMany = mid;
  }
  return render(fits);
}

interface StudentList {
  title: string;
  header: string[];
  rows: StudentRow[];
  cells: (row: StudentRow) => string[];
}

function studentLists(rows: StudentRow[], tr: Translate): StudentList[] {
  return [
    {
      title: tr('class.label.ungradable'),
      header: [tr('class.column.student'), tr('class.column.reason')],
      rows: rows.filter((row) => row.status === 'ungradable'),
      cells: (row) => [studentCell(row), reasonCell(row, tr('class.reason.none'))],
    },
    {
      title: tr('class.label.missing'),
      header: [tr('class.column.student'), tr('class.column.reason')],
      rows: rows.filter((row) => row.status === 'missing'),
      cells: (row) => [studentCell(row), reasonCell(row, tr('class.reason.nothing_to_grade'))],
    },
    {
      title: tr('class.label.late'),
      header: [tr('class.column.student'), tr('class.column.status'), tr('class.column.late_by')],
      rows: rows.filter((row) => formatLate(row) !== undefined),
      cells: (row) => [studentCell(row), tr(STATUS_KEY[row.status]), formatLate(row, tr.locale) ?? ''],
    },
  ];
}

const STATUS_KEY = {
  graded: 'class.status.graded',
  ungradable: 'class.status.ungradable',
  missing: 'class.status.missing',
} as const satisfies Record<StudentRow['status'], string>;

function renderSummary(result: ClassResult, rows: StudentRow[], lists: StudentList[], cap: number, tr: Translate): string {
  const parts = [
    `## ${tr('class.summary.title', { title: escapeInline(clip(result.rubric.title, CELL_CAP)) })}`,
    ...deadlineLine(result.deadline, tr),
    countsLine(rows, tr),
    `### ${tr('class.distribution')}`,
    ...distribution(rows, tr),
    `### ${tr('class.summary.checks')}`,
    checkTable(result.rubric.checks, rows, tr),
  ];
  for (const list of lists) {
    if (list.rows.length === 0) continue;
    parts.push(`### ${list.title} (${list.rows.length})`);
    if (cap > 0) parts.push(table(list.header, list.rows.slice(0, cap).map(list.cells)));
    const more = list.rows.length - Math.min(cap, list.rows.length);
    if (more > 0) parts.push(`_${tr('class.summary.more', { count: more })}_`);
  }
  return `${parts.join('\n\n')}\n`;
}

function deadlineLine(deadline: string | undefined, tr: Translate): string[] {
  if (deadline === undefined) return [];
  const date = new Date(deadline);
  const shown = Number.isNaN(date.getTime()) ? escapeInline(deadline) : `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return [`**${tr('class.summary.deadline')}** ${shown}`];
}

function countsLine(rows: StudentRow[], tr: Translate): string {
  const count = (status: StudentRow['status']) => rows.filter((row) => row.status === status).length;
  const late = rows.filter((row) => formatLate(row) !== undefined).length;
  const counts = tr('class.summary.counts', {
    graded: count('graded'),
    ungradable: count('ungradable'),
    missing: count('missing'),
    late,
  });
  return `**${tr('class.summary.students', { count: rows.length })}** ${counts}`;
}

// ---- the score distribution ----

const BIN_LABELS = Array.from({ length: 10 }, (_, i) => (i === 9 ? '90–100%' : `${i * 10}–${i * 10 + 9}%`));

/** How many graded rows fall in each tenth of the percent range (0–9 … 90–100). */
export function scoreBins(rows: StudentRow[]): number[] {
  const bins = new Array<number>(10).fill(0);
  for (const percent of gradedPercents(rows)) {
    const bin = Math.min(9, Math.max(0, Math.floor(percent / 10)));
    bins[bin]! += 1;
  }
  return bins;
}

function gradedPercents(rows: StudentRow[]): number[] {
  return rows.map(rowPercent).filter((p): p is number => p !== null);
}

function distribution(rows: StudentRow[], tr: Translate): string[] {
  const percents = gradedPercents(rows);
  if (percents.length === 0) return [`_${tr('class.summary.none_graded')}_`];
  const bins = scoreBins(rows);
  const most = Math.max(...bins);
  const bar = (n: number) => (n === 0 ? '' : BAR.repeat(Math.max(1, Math.round((n * Math.min(BAR_WIDTH, most)) / most))));
  const histogram = table(
    [tr('class.column.score'), tr('class.column.students'), ''],
    bins.map((n, i) => [BIN_LABELS[i]!, String(n), bar(n)]),
    [':--', '--:', ':--'],
  );
  const mean = percents.reduce((sum, p) => sum + p, 0) / percents.length;
  return [
    histogram,
    tr('class.summary.mean_median', {
      mean: formatNumber(roundTo(mean, 1)),
      median: formatNumber(roundTo(median(percents), 1)),
      count: percents.length,
    }),
  ];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

// ---- the checks ----

export interface CheckTally {
  check: ClassCheck;
  passed: number;
  failed: number;
  /** Graded rows where the check was skipped, could not run (error), or is absent. */
  notRun: number;
  /** passed / (passed + failed), or null when no graded row ran it. */
  rate: number | null;
}

/** Each check's results over the graded rows, most failed first: lowest pass rate, then most failures, then rubric order. */
export function tallyChecks(checks: ClassCheck[], rows: StudentRow[]): CheckTally[] {
  const graded = rows.filter((row) => rowPercent(row) !== null);
  const tallies = checks.map((check, order) => {
    let passed = 0;
    let failed = 0;
    for (const row of graded) {
      const status = row.result?.checks.find((c) => c.id === check.id)?.status;
      if (status === 'passed') passed += 1;
      else if (status === 'failed') failed += 1;
    }
    const ran = passed + failed;
    return { check, passed, failed, notRun: graded.length - ran, rate: ran === 0 ? null : passed / ran, order };
  });
  tallies.sort((a, b) => {
    if (a.rate === null || b.rate === null) return a.rate === b.rate ? a.order - b.order : a.rate === null ? 1 : -1;
    return a.rate - b.rate || b.failed - a.failed || a.order - b.order;
  });
  return tallies.map(({ order: _order, ...tally }) => tally);
}

function checkTable(checks: ClassCheck[], rows: StudentRow[], tr: Translate): string {
  if (checks.length === 0) return `_${tr('class.summary.no_checks')}_`;
  const body = tallyChecks(checks, rows).map((t) => [
    escapeInline(clip(t.check.name, CELL_CAP)),
    t.rate === null ? '—' : `${formatNumber(roundTo(t.rate * 100, 1))}%`,
    String(t.passed),
    String(t.failed),
    String(t.notRun),
  ]);
  const header = [
    tr('class.column.check'),
    tr('class.column.pass_rate'),
    tr('class.column.passed'),
    tr('class.column.failed'),
    tr('class.column.not_run'),
  ];
  return table(header, body, [':--', '--:', '--:', '--:', '--:']);
}

// ---- cells ----

/** `kim-minjun · Kim, Minjun`: the username, then the roster's name when it has one. */
function studentCell(row: StudentRow): string {
  const name = studentName(row);
  const username = escapeInline(clip(row.username, CELL_CAP));
  return name === undefined ? username : `${username} · ${escapeInline(clip(name, CELL_CAP))}`;
}

function reasonCell(row: StudentRow, fallback: string): string {
  const reason = row.reason ?? row.result?.reason;
  return reason ? escapeInline(clip(reason, CELL_CAP)) : fallback;
}

/** Cells must already be escaped (escapeInline keeps them on one line and escapes `|`). */
function table(header: string[], body: string[][], align: string[] = header.map(() => ':--')): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(align), ...body.map(line)].join('\n');
}

/** Last resort when even the summary without student lists is too long: it holds no code blocks, so any line is a safe place to stop. */
function cutAtLine(text: string, budget: number, tr: Translate): string {
  const note = `\n\n_${tr('class.summary.cut')}_\n`;
  if (budget <= note.length) return text.slice(0, Math.max(0, budget));
  const end = text.lastIndexOf('\n', budget - note.length);
  return `${text.slice(0, Math.max(0, end))}${note}`;
}
