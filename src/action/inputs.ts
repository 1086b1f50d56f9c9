/**
 * The action's inputs: the only module that calls core.getInput. `readInputs()` reads
 * them raw; `parseSettings()` validates and normalises them into one typed object.
 */
import path from 'node:path';
import * as core from '@actions/core';
import { UserError } from '../basics/errors.js';
import { parseLocale, type Locale } from '../basics/i18n/catalogue.js';
import { isBuiltinName } from '../rubric/load.js';
import { DEFAULT_OUT_DIR, defaultJobs, parseBranch, parseDeadline, parseGradebooks, parseJobs } from '../class/class-options.js';
import { parseShard, type Shard } from '../class/shard.js';
import type { GradebookFormat } from '../report/gradebook-export.js';

export const REPORT_KINDS = ['comment', 'check', 'summary'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export interface RawInputs {
  rubric: string;
  path: string;
  repository: string;
  ref: string;
  token: string;
  report: string;
  failUnder: string;
  lang: string;
  roster: string;
  repoPattern: string;
  deadline: string;
  branch: string;
  jobs: string;
  out: string;
  shard: string;
  export: string;
}

export interface ActionSettings {
  /** A built-in rubric name, or an absolute path to the instructor's rubric file. */
  rubric: string;
  /** What gradeSubmission opens: a folder, or a clone URL when `repository` is set. */
  target: string;
  /** The folder graded, when it is local (annotations are relative to the workspace through it). */
  localDir?: string;
  /** How reports name the submission: `owner/name` (plus the sub-folder), not the runner's path. */
  displaySource: string;
  ref?: string;
  /** Extra header that lets git clone `repository` with the token; never logged, never in a URL. */
  cloneAuthHeader?: string;
  token: string;
  reports: ReadonlySet<ReportKind>;
  failUnder?: number;
  /** The language of the feedback, instead of the rubric's. */
  lang?: Locale;
}

export interface InputEnvironment {
  workspace: string;
  serverUrl: string;
  /** `owner/name` of the workflow's repository (GITHUB_REPOSITORY). */
  repository?: string;
}

export function readInputs(): RawInputs {
  return {
    rubric: core.getInput('rubric'),
    path: core.getInput('path'),
    repository: core.getInput('repository'),
    ref: core.getInput('ref'),
    token: core.getInput('token'),
    report: core.getInput('report'),
    failUnder: core.getInput('fail-under'),
    lang: core.getInput('lang'),
    roster: core.getInput('roster'),
    repoPattern: core.getInput('repo-pattern'),
    deadline: core.getInput('deadline'),
    branch: core.getInput('branch'),
    jobs: core.getInput('jobs'),
    out: core.getInput('out'),
    shard: core.getInput('shard'),
    export: core.getInput('export'),
  };
}

export function inputEnvironment(env: NodeJS.ProcessEnv = process.env): InputEnvironment {
  return {
    workspace: env.GITHUB_WORKSPACE || process.cwd(),
    serverUrl: (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, ''),
    ...(env.GITHUB_REPOSITORY ? { repository: env.GITHUB_REPOSITORY } : {}),
  };
}

export function parseSettings(raw: RawInputs, env: InputEnvironment): ActionSettings {
  const token = raw.token.trim();
  const ref = raw.ref.trim() || undefined;
  const repository = raw.repository.trim();
  const failUnder = parseFailUnder(raw.failUnder);
  const common = {
    rubric: parseRubric(raw.rubric, env.workspace),
    token,
    reports: parseReports(raw.report),
    ...(ref ? { ref } : {}),
    ...(failUnder !== undefined ? { failUnder } : {}),
    ...(raw.lang.trim() ? { lang: parseLocale(raw.lang, 'input "lang"') } : {}),
  };
  if (repository) {
    const name = parseRepository(repository);
    return {
      ...common,
      target: `${env.serverUrl}/${name}.git`,
      displaySource: name,
      ...(token ? { cloneAuthHeader: basicAuthHeader(token) } : {}),
    };
  }
  const localDir = path.resolve(env.workspace, raw.path.trim() || '.');
  const inRepo = path.relative(env.workspace, localDir).split(path.sep).join('/');
  const displaySource = [env.repository ?? path.basename(env.workspace), inRepo].filter(Boolean).join('/');
  return { ...common, target: localDir, localDir, displaySource };
}

function parseRubric(value: string, workspace: string): string {
  const rubric = value.trim() || 'web';
  return isBuiltinName(rubric) ? rubric : path.resolve(workspace, rubric);
}

function parseRepository(value: string): string {
  const match = /^([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+?)(?:\.git)?$/.exec(value);
  if (!match || match[2] === '.' || match[2] === '..') {
    throw new UserError(`input "repository" must be owner/name, got "${value}"`);
  }
  return `${match[1]}/${match[2]}`;
}

export function parseReports(value: string): Set<ReportKind> {
  const words = value
    .split(/[\s,]+/)
    .map((word) => word.trim().toLowerCase())
    .filter(Boolean);
  if (words.length === 0) return new Set(REPORT_KINDS);
  const reports = new Set<ReportKind>();
  for (const word of words) {
    if (word === 'none') continue;
    if (word === 'all') REPORT_KINDS.forEach((kind) => reports.add(kind));
    else if (isReportKind(word)) reports.add(word);
    else throw new UserError(`input "report": unknown report "${word}" (use any of ${REPORT_KINDS.join(', ')}, or none)`);
  }
  return reports;
}

function isReportKind(word: string): word is ReportKind {
  return (REPORT_KINDS as readonly string[]).includes(word);
}

export function parseFailUnder(value: string): number | undefined {
  const text = value.trim().replace(/%$/, '');
  if (text === '') return undefined;
  const percent = Number(text);
  if (!Number.isFinite(percent) || percent < 0 || percent > 100) {
    throw new UserError(`input "fail-under" must be a percentage from 0 to 100, got "${value}"`);
  }
  return percent;
}

/** How actions/checkout hands a token to git: an extra header, so it never appears in a URL or a remote. */
export function basicAuthHeader(token: string): string {
  return `AUTHORIZATION: basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`;
}

/** Class mode: set when the `roster` input is given. */
export interface ClassSettings {
  rubric: string;
  /** Absolute path of the roster file. */
  roster: string;
  repoPattern?: string;
  deadline?: Date;
  branch?: string;
  jobs: number;
  /** Absolute path of the output folder. */
  out: string;
  shard?: Shard;
  exports: GradebookFormat[];
  token: string;
  apiUrl?: string;
  lang?: Locale;
}

export function parseClassSettings(raw: RawInputs, env: InputEnvironment & { apiUrl?: string }): ClassSettings | undefined {
  const roster = raw.roster.trim();
  if (!roster) return undefined;
  const settings: ClassSettings = {
    rubric: parseRubric(raw.rubric, env.workspace),
    roster: path.resolve(env.workspace, roster),
    jobs: raw.jobs.trim() ? parseJobs(raw.jobs, 'input "jobs"') : defaultJobs(),
    out: path.resolve(env.workspace, raw.out.trim() || DEFAULT_OUT_DIR),
    exports: parseGradebooks([raw.export], 'input "export"'),
    token: raw.token.trim(),
  };
  if (raw.repoPattern.trim()) settings.repoPattern = raw.repoPattern.trim();
  if (raw.deadline.trim()) settings.deadline = parseDeadline(raw.deadline, 'input "deadline"');
  if (raw.branch.trim()) settings.branch = parseBranch(raw.branch, 'input "branch"');
  if (raw.shard.trim()) settings.shard = parseShard(raw.shard.trim());
  if (env.apiUrl) settings.apiUrl = env.apiUrl;
  if (raw.lang.trim()) settings.lang = parseLocale(raw.lang, 'input "lang"');
  return settings;
}
