/**
 * The result of grading a whole class: one row per roster row, in roster order. Every class
 * output (grades.csv, summary.md, the dashboard, gradebook exports) is a pure function of it,
 * and `class.json` in the output folder is its JSON form, which reruns and `class merge` read.
 */
import type { Locale } from './i18n/catalogue.js';
import type { GradeResult } from './results.js';

export const CLASS_SCHEMA = 'grader/class/v1';

/** `graded` and `ungradable` come from a run; `missing`: no repository, or nothing committed by the deadline. */
export type RowStatus = 'graded' | 'ungradable' | 'missing';

/** How the graded commit was picked at the deadline: GitHub's push times, or the commits' own (forgeable) dates. */
export type DeadlineBasis = 'push-time' | 'committer-date';

/** Who a student is, as the roster says. */
export interface RosterFields {
  username: string;
  first_name?: string;
  last_name?: string;
  email?: string;
  section?: string;
  github_id?: string;
  /** gh classroom's identifier for the student (often a student number). */
  roster_identifier?: string;
  /** As the roster (or `--repo`) names it: `owner/name`, a git URL or a local path; none makes the row missing. */
  repository?: string;
}

/** The roster fields that are optional text, in the order the outputs list them. */
export const OPTIONAL_ROSTER_FIELDS = ['first_name', 'last_name', 'email', 'section', 'github_id', 'roster_identifier'] as const;

export interface StudentRow extends RosterFields {
  /** Position in the roster (0-based, data rows only): the order of every output. */
  index: number;
  commit?: string;
  /** ISO 8601. The graded commit's committer date. */
  committed_at?: string;
  /** ISO 8601. When the graded commit was pushed (GitHub only). */
  pushed_at?: string;
  deadline_basis?: DeadlineBasis;
  /** Milliseconds between the deadline and the last work pushed (or committed) after it; absent when none came after. */
  late_ms?: number;
  status: RowStatus;
  /** Why a row is missing or ungradable, in one line. */
  reason?: string;
  /** The run's result, for graded and ungradable rows that got as far as a run. */
  result?: GradeResult;
  /** What the result is valid for; a rerun with the same key reuses it. */
  key?: ResultKey;
}

export interface ResultKey {
  repository: string;
  /** The commit graded, or `tree:sha256:…` (the content) for a plain folder. */
  commit: string;
  rubric_digest: string;
  grader_version: string;
}

export interface ClassCheck {
  id: string;
  name: string;
  max_points: number;
}

export interface ClassResult {
  schema: typeof CLASS_SCHEMA;
  rubric: { title: string; source: string; digest: string; pass_threshold?: number; checks: ClassCheck[] };
  grader_version: string;
  /** The language of the class's reports (the rubric's, or --lang). */
  locale: Locale;
  /** ISO 8601, when a deadline was given. */
  deadline?: string;
  /** ISO 8601. */
  generated_at: string;
  /** The roster file and its number of data rows (all shards together). */
  roster: { file: string; rows: number };
  /** Set on a shard's output; absent once merged or when unsharded. */
  shard?: { index: number; count: number };
  students: StudentRow[];
}
