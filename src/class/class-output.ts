/**
 * The class output folder: `class.json` (the whole ClassResult, which reruns and merges read),
 * `students/<username>.json|.md` (what the single-submission CLI writes with --json and
 * --markdown), and the views made from the class: grades.csv, summary.md, index.html and any
 * gradebook exports. Every file is written whole under a temporary name and renamed, so a
 * reader (or a Ctrl-C) never finds half a file.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CLASS_SCHEMA, type ClassResult, type StudentRow } from '../basics/class-results.js';
import { UserError, errorMessage } from '../basics/errors.js';
import { cleanText, escapeInline } from '../basics/sanitize.js';
import { renderClassSummary } from '../report/class-summary.js';
import { renderDashboard } from '../report/dashboard.js';
import { renderGradebook, type GradebookFormat } from '../report/gradebook-export.js';
import { renderGradesCsv } from '../report/grades-csv.js';
import { toJson } from '../report/json.js';
import { renderMarkdown } from '../report/markdown.js';
import { isSafeUsername } from './roster.js';

export const CLASS_FILE = 'class.json';
export const STUDENTS_DIR = 'students';

export const OUTPUT_FILES = {
  grades: 'grades.csv',
  summary: 'summary.md',
  dashboard: 'index.html',
  gradebook: (format: GradebookFormat) => `${format}.csv`,
} as const;

export async function writeFileAtomically(file: string, text: string): Promise<void> {
  const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    await writeFile(temporary, text);
    await rename(temporary, file);
  } catch (err) {
    throw new UserError(`could not write ${file}: ${errorMessage(err)}`);
  }
}

export async function prepareOutputFolder(outDir: string): Promise<void> {
  try {
    await mkdir(path.join(outDir, STUDENTS_DIR), { recursive: true });
  } catch (err) {
    throw new UserError(`could not create the output folder ${outDir}: ${errorMessage(err)}`);
  }
}

/** A student's two report files, from their row. */
export async function writeStudentFiles(outDir: string, row: StudentRow): Promise<void> {
  const base = path.join(outDir, STUDENTS_DIR, row.username);
  await Promise.all([writeFileAtomically(`${base}.json`, studentJson(row)), writeFileAtomically(`${base}.md`, studentMarkdown(row))]);
}

function studentJson(row: StudentRow): string {
  if (row.result) return toJson(row.result);
  const about = { username: row.username, repository: row.repository ?? null, status: row.status, reason: row.reason ?? null };
  return `${JSON.stringify(about, (_key, value: unknown) => (typeof value === 'string' ? cleanText(value) : value), 2)}\n`;
}

function studentMarkdown(row: StudentRow): string {
  if (row.result) return renderMarkdown(row.result);
  const what = row.status === 'missing' ? 'No submission' : 'Not graded';
  return `## ${what}: ${escapeInline(row.username)}\n\n${escapeInline(row.reason ?? '')}\n`;
}

/** class.json alone: written after every student, so an interrupted class keeps what it finished. */
export async function writeClassFile(outDir: string, result: ClassResult): Promise<void> {
  await writeFileAtomically(path.join(outDir, CLASS_FILE), `${JSON.stringify(result, null, 2)}\n`);
}

/** Every view of the class, and class.json. */
export async function writeClassViews(outDir: string, result: ClassResult, exports: readonly GradebookFormat[]): Promise<string[]> {
  const files: [string, string][] = [
    [OUTPUT_FILES.grades, renderGradesCsv(result)],
    [OUTPUT_FILES.summary, renderClassSummary(result)],
    [OUTPUT_FILES.dashboard, renderDashboard(result)],
    ...exports.map((format): [string, string] => [OUTPUT_FILES.gradebook(format), renderGradebook(result, format)]),
  ];
  await Promise.all([writeClassFile(outDir, result), ...files.map(([name, text]) => writeFileAtomically(path.join(outDir, name), text))]);
  return [CLASS_FILE, ...files.map(([name]) => name)];
}

/**
 * The ClassResult of an earlier run (or a shard), or undefined when the folder has none.
 * A file that is not ours, or names students unsafely, is refused rather than trusted.
 */
export async function readClassFile(outDir: string, { required }: { required: boolean }): Promise<ClassResult | undefined> {
  const file = path.join(outDir, CLASS_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if (!required && (err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UserError(`cannot read ${file}: ${errorMessage(err)}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new UserError(`${file} is not valid JSON (${errorMessage(err)}); remove it to grade everything again`);
  }
  if (!isClassResult(data))
    throw new UserError(`${file} is not a grader class result (${CLASS_SCHEMA}); remove it to grade everything again`);
  const unsafe = data.students.find((row) => !isSafeUsername(row.username));
  if (unsafe) throw new UserError(`${file}: the username ${JSON.stringify(cleanText(String(unsafe.username)))} cannot name a file`);
  return data;
}

function isClassResult(data: unknown): data is ClassResult {
  if (!data || typeof data !== 'object') return false;
  const value = data as Partial<ClassResult>;
  return (
    value.schema === CLASS_SCHEMA &&
    Array.isArray(value.students) &&
    typeof value.rubric?.digest === 'string' &&
    typeof value.roster?.rows === 'number' &&
    value.students.every((row) => row && typeof row.username === 'string' && typeof row.index === 'number')
  );
}
