/**
 * grades.csv: one row per roster row, in roster order, then one column of points per check.
 * Written with writeCsv, so spreadsheet programs read it as UTF-8 and run no formula in it.
 */
import type { ClassResult, StudentRow } from '../basics/class-results.js';
import { type CsvCell, writeCsv } from '../basics/csv.js';
import { formatLate, lateMinutes, roundTo, rowMaxScore, rowPercent, rowScore } from './class-format.js';

export const GRADES_COLUMNS = [
  'username',
  'first_name',
  'last_name',
  'email',
  'section',
  'repository',
  'commit',
  'committed_at',
  'pushed_at',
  'deadline_basis',
  'late',
  'late_minutes',
  'status',
  'score',
  'max_score',
  'percent',
  'passed',
] as const;

export function renderGradesCsv(result: ClassResult): string {
  const checkIds = result.rubric.checks.map((check) => check.id);
  const header = [...GRADES_COLUMNS, ...checkIds.map(checkColumn)];
  const rows = [...result.students]
    .sort((a, b) => a.index - b.index)
    .map((row) => [...rowCells(row, result), ...checkCells(row, checkIds)]);
  return writeCsv(header, rows);
}

/**
 * A check's column is headed by its id; an id that is also the name of a fixed column
 * (a check called `status`, say) gets a `check:` prefix so no two columns share a header.
 */
export function checkColumn(id: string): string {
  return (GRADES_COLUMNS as readonly string[]).includes(id) ? `check:${id}` : id;
}

function rowCells(row: StudentRow, result: ClassResult): CsvCell[] {
  const score = rowScore(row);
  const percent = rowPercent(row);
  return [
    row.username,
    row.first_name,
    row.last_name,
    row.email,
    row.section,
    row.repository,
    row.commit,
    row.committed_at,
    row.pushed_at,
    row.deadline_basis,
    formatLate(row),
    lateMinutes(row),
    row.status,
    score === null ? undefined : roundTo(score, 2),
    roundTo(rowMaxScore(row, result), 2),
    percent === null ? undefined : roundTo(percent, 1),
    score !== null && row.result?.passed === true,
  ];
}

/** Points per check, for graded rows only: an ungradable run's partial points are no grade. */
function checkCells(row: StudentRow, checkIds: string[]): CsvCell[] {
  const graded = rowScore(row) !== null;
  return checkIds.map((id) => {
    const check = graded ? row.result?.checks.find((c) => c.id === id) : undefined;
    return check ? roundTo(check.points, 2) : undefined;
  });
}
