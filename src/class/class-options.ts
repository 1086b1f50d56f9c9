/**
 * The options of a class run as both adapters take them (the CLI's flags, the action's inputs):
 * text in, checked values out. `name` is how the adapter calls the option, for messages.
 */
import os from 'node:os';
import { UserError } from '../basics/errors.js';
import type { GradebookFormat } from '../report/gradebook-export.js';

export const GRADEBOOK_FORMATS: readonly GradebookFormat[] = ['canvas', 'moodle'];
export const DEFAULT_OUT_DIR = 'grades';
export const DEFAULT_TOKEN_ENV = 'GITHUB_TOKEN';
const MAX_JOBS = 64;

/**
 * A grading mostly waits (on the engine, on a service to get ready, on a container to stop), so
 * it pays to run more gradings than there are cores; measured on 2 cores (see the README).
 */
export function defaultJobs(cores = os.availableParallelism()): number {
  return Math.max(2, Math.min(8, cores * 2));
}

export function parseJobs(text: string, name: string): number {
  const jobs = Number(text.trim());
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > MAX_JOBS)
    throw new UserError(`${name} takes a whole number from 1 to ${MAX_JOBS}, got "${text}"`);
  return jobs;
}

/** A deadline without a time zone would mean different instants on a laptop and on a CI runner. */
export function parseDeadline(text: string, name: string): Date {
  const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;
  const date = new Date(text.trim());
  if (!iso.test(text.trim()) || Number.isNaN(date.getTime())) {
    throw new UserError(
      `${name} takes an ISO 8601 time with a time zone, e.g. 2026-12-01T23:59:00+09:00 or 2026-12-01T14:59:00Z; got "${text}"`,
    );
  }
  return date;
}

/** Formats named one by one or comma-separated; each once. */
export function parseGradebooks(values: readonly string[], name: string): GradebookFormat[] {
  const formats = new Set<GradebookFormat>();
  for (const word of values.flatMap((value) => value.split(/[\s,]+/)).filter(Boolean)) {
    const format = word.toLowerCase();
    if (!(GRADEBOOK_FORMATS as readonly string[]).includes(format)) {
      throw new UserError(`${name} takes ${GRADEBOOK_FORMATS.join(' or ')}, got "${word}"`);
    }
    formats.add(format as GradebookFormat);
  }
  return [...formats];
}

export function parseBranch(text: string, name: string): string {
  const branch = text.trim();
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  if (!branch || branch.startsWith('-') || /[\s\x00-\x1f\x7f~^:?*[\\]|\.\.|@\{/.test(branch)) {
    throw new UserError(`${name}: not a branch name: "${text}"`);
  }
  return branch;
}

export function parseApiUrl(text: string, name: string): string {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new UserError(`${name} takes a URL such as https://github.example.edu/api/v3, got "${text}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UserError(`${name} must be an http(s) URL, got "${text}"`);
  if (url.username || url.password) throw new UserError(`${name} must not carry a user or password: give the token apart`);
  return url.toString().replace(/\/+$/, '');
}

export function parseEnvName(text: string, name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(text)) throw new UserError(`${name} takes the name of an environment variable, got "${text}"`);
  return text;
}
