/**
 * The class roster: a CSV file with one student per row, recognised by its header row.
 * Nothing is returned until the whole file parses; every problem names the file and line.
 * Cells are kept as data (the writers neutralise them), but a username becomes a file
 * name and a repository becomes an argument, so those two are checked here.
 */
import type { RosterFields } from '../basics/class-results.js';
import { realpath } from 'node:fs/promises';
import { CsvSyntaxError, parseCsv } from '../basics/csv.js';
import type { CsvRecord } from '../basics/csv.js';
import { UserError, errorMessage } from '../basics/errors.js';
import { readRegularFile } from '../basics/read-file.js';
import { cleanText, clip } from '../basics/sanitize.js';

export type RosterFormat = 'grader' | 'classroom50' | 'gh-classroom';

export interface RosterEntry extends RosterFields {
  /** 1-based line in the file where the row starts, for messages. */
  line: number;
}

export interface Roster {
  file: string;
  format: RosterFormat;
  entries: RosterEntry[];
}

export interface RosterOptions {
  /** `course-org/hw1-{username}`: the repository of every row that names none. */
  repoPattern?: string;
}

export const MAX_ROSTER_BYTES = 5 * 1024 * 1024;
const MAX_PROBLEMS = 10;
const MAX_USERNAME_CHARS = 100;
const PLACEHOLDER = '{username}';

type Field = Exclude<keyof RosterEntry, 'line'>;

/** Header name (lower case) → entry field. Maps, so that a column named `constructor` means nothing. */
const STUDENT_COLUMNS = new Map<string, Field>([
  ['username', 'username'],
  ['repository', 'repository'],
  ['first_name', 'first_name'],
  ['last_name', 'last_name'],
  ['email', 'email'],
  ['section', 'section'],
  ['github_id', 'github_id'],
]);
const GH_CLASSROOM_COLUMNS = new Map<string, Field>([
  ['github_username', 'username'],
  ['roster_identifier', 'roster_identifier'],
  ['student_repository_url', 'repository'],
  ['github_id', 'github_id'],
]);
const CLASSROOM50_COLUMNS = ['first_name', 'last_name', 'email', 'section'];

const KNOWN_HEADERS = [
  'username,repository[,first_name,last_name,email,section] (grader)',
  'username,first_name,last_name,email,section[,github_id] (Classroom 50)',
  'github_username,roster_identifier,student_repository_url,… (gh classroom assignment-grades)',
];

/** Letters and digits of any script, `.`, `_` and `-`; no leading `.` or `-`. No `/`, `\` or control character gets through. */
const USERNAME = /^[\p{L}\p{N}_][\p{L}\p{M}\p{N}._-]*$/u;
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\x00-\x1f\x7f-\x9f]/;

interface Layout {
  format: RosterFormat;
  width: number;
  columns: [index: number, field: Field][];
  hasRepository: boolean;
}

/** Reads and parses a roster file of at most 5 MiB, UTF-8 with or without a byte order mark. */
export async function readRoster(file: string, options: RosterOptions = {}): Promise<Roster> {
  return parseRoster(await readRosterText(file), file, options);
}

/** The roster in `text`; `file` only names it in messages. Throws one UserError listing the problems found. */
export function parseRoster(text: string, file: string, options: RosterOptions = {}): Roster {
  const pattern = options.repoPattern === undefined ? undefined : checkRepoPattern(options.repoPattern);
  const [header, ...rows] = csvRecords(text, file);
  if (!header) throw new UserError(`${file}: the roster is empty; its first row must be one of these headers:\n${knownHeaders()}`);
  const layout = readHeader(header, file);
  if (rows.length === 0) throw new UserError(`${file}:${header.line}: the roster has a header but no students`);
  if (!layout.hasRepository && pattern === undefined) {
    throw new UserError(
      `${file}:${header.line}: the roster has no repository column; give --repo with the repositories' name, e.g. --repo 'course-org/hw1-${PLACEHOLDER}'`,
    );
  }

  const problems = new Problems(file);
  const firstLine = new Map<string, number>();
  const entries: RosterEntry[] = [];
  for (const row of rows) {
    if (row.fields.length !== layout.width) {
      problems.add(row.line, `the row has ${row.fields.length} fields, the header has ${layout.width}`);
      continue;
    }
    const entry: RosterEntry = { line: row.line, username: '' };
    for (const [index, field] of layout.columns) {
      const value = row.fields[index]!.trim();
      if (value !== '') entry[field] = value;
    }
    const usernameProblem = checkUsername(entry.username);
    if (usernameProblem) {
      problems.add(row.line, usernameProblem);
      continue;
    }
    const key = usernameKey(entry.username);
    const first = firstLine.get(key);
    if (first !== undefined) {
      problems.add(row.line, `duplicate username ${shown(entry.username)} (first on line ${first})`);
      continue;
    }
    firstLine.set(key, row.line);
    if (entry.repository === undefined && pattern !== undefined) entry.repository = pattern.replaceAll(PLACEHOLDER, () => entry.username);
    const repositoryProblem = entry.repository === undefined ? undefined : checkRepository(entry.repository);
    if (repositoryProblem) problems.add(row.line, repositoryProblem);
    else entries.push(entry);
  }
  problems.throwIfAny();
  return { file, format: layout.format, entries };
}

/** What two usernames are compared by: GitHub logins ignore case, and file systems may ignore Unicode normalisation. */
export function usernameKey(username: string): string {
  return username.normalize('NFC').toLowerCase();
}

/** The pattern, trimmed; a UserError unless `{username}` is in it and no other brace is. */
function checkRepoPattern(pattern: string): string {
  const trimmed = pattern.trim();
  const braces = trimmed.match(/\{[^{}]*\}|[{}]/g) ?? [];
  const other = braces.find((brace) => brace !== PLACEHOLDER);
  if (other !== undefined) {
    throw new UserError(`--repo ${shown(trimmed)}: ${shown(other)} is not a placeholder; the only one is ${PLACEHOLDER}`);
  }
  if (braces.length === 0) {
    throw new UserError(
      `--repo ${shown(trimmed)} has no ${PLACEHOLDER}, so every student would share one repository; e.g. --repo 'course-org/hw1-${PLACEHOLDER}'`,
    );
  }
  return trimmed;
}

async function readRosterText(file: string): Promise<string> {
  let read;
  try {
    // The instructor's own file: a link is followed, but it must end at a regular file.
    read = await readRegularFile(await realpath(file), MAX_ROSTER_BYTES);
  } catch (error) {
    throw new UserError(`${file}: cannot read the roster: ${describeReadError(error)}`);
  }
  if (read.kind === 'missing') throw new UserError(`${file}: cannot read the roster: no such file`);
  if (read.kind === 'other') throw new UserError(`${file}: cannot read the roster: it is ${read.type}, not a file`);
  if (read.truncated) throw new UserError(`${file}: the roster is larger than ${MAX_ROSTER_BYTES / 1024 / 1024} MiB`);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(read.content);
  } catch {
    const lenient = new TextDecoder('utf-8').decode(read.content);
    const line = lenient.slice(0, lenient.indexOf('\uFFFD')).split('\n').length;
    throw new UserError(`${file}:${line}: the roster is not UTF-8 text; save it as "CSV UTF-8"`);
  }
}

function describeReadError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return errorMessage(error);
}

function csvRecords(text: string, file: string): CsvRecord[] {
  try {
    return parseCsv(text);
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw new UserError(`${file}:${error.line}: ${error.message}`);
    throw error;
  }
}

function readHeader(header: CsvRecord, file: string): Layout {
  const names = header.fields.map((name) => name.trim().toLowerCase());
  const present = new Set(names);
  const format = formatOf(present);
  if (format === undefined) {
    const semicolons = header.fields.length === 1 && names[0]!.includes(';') ? ' (fields must be separated by commas, not semicolons)' : '';
    throw new UserError(
      `${file}:${header.line}: the header is none this roster reader knows${semicolons}; it must be one of:\n${knownHeaders()}`,
    );
  }
  const known = format === 'gh-classroom' ? GH_CLASSROOM_COLUMNS : STUDENT_COLUMNS;
  const columns: [number, Field][] = [];
  const problems = new Problems(file);
  names.forEach((name, index) => {
    const field = known.get(name);
    if (field === undefined) return;
    if (names.indexOf(name) !== index) problems.add(header.line, `the column ${shown(name)} appears twice in the header`);
    columns.push([index, field]);
  });
  problems.throwIfAny();
  return { format, width: names.length, columns, hasRepository: columns.some(([, field]) => field === 'repository') };
}

function formatOf(columns: Set<string>): RosterFormat | undefined {
  if (columns.has('github_username')) return 'gh-classroom';
  if (!columns.has('username')) return undefined;
  if (!columns.has('repository') && CLASSROOM50_COLUMNS.every((name) => columns.has(name))) return 'classroom50';
  return 'grader';
}

function knownHeaders(): string {
  return KNOWN_HEADERS.map((header) => `  ${header}`).join('\n');
}

/** Whether `username` can name the student's files (`students/<username>.json`) as it is. */
export function isSafeUsername(username: string): boolean {
  return username.length <= MAX_USERNAME_CHARS && USERNAME.test(username) && !username.includes('..');
}

/** Why `username` cannot name a student (and the file students/<username>.json), or undefined. */
function checkUsername(username: string): string | undefined {
  if (username === '') return 'empty username';
  if (username.length > MAX_USERNAME_CHARS) return `the username ${shown(username)} is longer than ${MAX_USERNAME_CHARS} characters`;
  if (!isSafeUsername(username)) {
    return `the username ${shown(username)} cannot be a file name: use letters, digits, ".", "_" and "-", not starting with "." or "-"`;
  }
  return undefined;
}

/** A repository is handed to git: it must not read as an option, nor hold a line break. */
function checkRepository(repository: string): string | undefined {
  if (repository.startsWith('-')) return `the repository ${shown(repository)} starts with "-"`;
  if (CONTROL.test(repository)) return `the repository ${shown(repository)} holds a control character`;
  return undefined;
}

/** Roster text quoted for a message: control characters visible, at most 60 characters. */
function shown(text: string): string {
  return JSON.stringify(clip(cleanText(text), 60));
}

/** The first few problems, one `file:line: message` each; a count of the rest. */
class Problems {
  private readonly lines: string[] = [];
  private count = 0;

  constructor(private readonly file: string) {}

  add(line: number, message: string): void {
    this.count++;
    if (this.lines.length < MAX_PROBLEMS) this.lines.push(`${this.file}:${line}: ${message}`);
  }

  throwIfAny(): void {
    if (this.count === 0) return;
    const more = this.count - this.lines.length;
    throw new UserError([...this.lines, ...(more > 0 ? [`${this.file}: …and ${more} more problems`] : [])].join('\n'));
  }
}
