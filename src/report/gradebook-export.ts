/**
 * Grade import files for learning management systems: Canvas's gradebook CSV and Moodle's
 * "Import grades from CSV". Only graded rows carry a score; ungradable and missing rows
 * are left empty, since both systems leave a grade unchanged for an empty cell, so the
 * instructor decides (an ungradable run is not the student's fault, and a missing
 * submission may have been handed in another way).
 */
import type { ClassResult, StudentRow } from '../basics/class-results.js';
import { type CsvCell, writeCsv } from '../basics/csv.js';
import { cleanText } from '../basics/sanitize.js';
import { roundTo, rowScore, rubricMaxScore, studentName } from './class-format.js';

export type GradebookFormat = 'canvas' | 'moodle';

export interface GradebookOptions {
  /**
   * The grade column's header; the rubric title by default. Canvas fills an existing
   * assignment when the header is its name with its id, `HW1 (12345)`, and creates a new
   * assignment otherwise; Moodle maps the column to a grade item on import.
   */
  column?: string;
}

export function renderGradebook(result: ClassResult, format: GradebookFormat, options: GradebookOptions = {}): string {
  const column = gradeColumn(options.column ?? result.rubric.title);
  const rows = [...result.students].sort((a, b) => a.index - b.index);
  return format === 'canvas' ? canvas(result, rows, column) : moodle(rows, column);
}

function gradeColumn(text: string): string {
  return oneLine(text) || 'grader';
}

/** Names and headers on one line: importers show them in one-line previews, and some split records at any line break. */
function oneLine(text: string | undefined): string {
  return cleanText(text ?? '')
    .replace(/\s+/g, ' ')
    .trim();
}

function canvas(result: ClassResult, rows: StudentRow[], column: string): string {
  const header = ['Student', 'ID', 'SIS User ID', 'SIS Login ID', 'Section', column];
  // Canvas's own export has this row; on import it sets the new assignment's points.
  const pointsPossible: CsvCell[] = ['Points Possible', '', '', '', '', roundTo(rubricMaxScore(result), 2)];
  const students = rows.map((row): CsvCell[] => [
    oneLine(studentName(row)) || row.username,
    // Canvas's internal user id: the roster does not know it; the SIS ids identify the student.
    '',
    row.roster_identifier ?? '',
    row.email || row.username,
    oneLine(row.section),
    grade(row),
  ]);
  return writeCsv(header, [pointsPossible, ...students]);
}

function moodle(rows: StudentRow[], column: string): string {
  const header = ['Email address', 'Username', 'First name', 'Last name', column];
  const students = rows.map((row): CsvCell[] => [
    row.email ?? '',
    row.username,
    oneLine(row.first_name),
    oneLine(row.last_name),
    grade(row),
  ]);
  return writeCsv(header, students);
}

function grade(row: StudentRow): CsvCell {
  const score = rowScore(row);
  return score === null ? '' : roundTo(score, 2);
}
