/** The step's outputs and the files they point at (results JSON, markdown report) under RUNNER_TEMP. */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as core from '@actions/core';
import type { StudentRow } from '../basics/class-results.js';
import type { GradeResult } from '../basics/results.js';
import { toJson } from '../report/json.js';

export interface ReportFiles {
  results: string;
  report: string;
}

export async function writeReportFiles(
  result: GradeResult,
  markdown: string,
  runId: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ReportFiles> {
  const dir = path.join(env.RUNNER_TEMP || os.tmpdir(), `grader-${runId}`);
  await mkdir(dir, { recursive: true });
  const files = { results: path.join(dir, 'results.json'), report: path.join(dir, 'report.md') };
  await Promise.all([writeFile(files.results, toJson(result)), writeFile(files.report, markdown)]);
  return files;
}

/** Outputs are set whatever happened: empty score fields when nothing was graded. */
export function setOutputs(result: GradeResult | undefined, files: ReportFiles | undefined): void {
  core.setOutput('score', result?.score ?? '');
  core.setOutput('max-score', result?.max_score ?? '');
  core.setOutput('percent', result?.percent ?? '');
  core.setOutput('passed', result?.passed ? 'true' : 'false');
  core.setOutput('results', files?.results ?? '');
  core.setOutput('report', files?.report ?? '');
}

/** Class mode's outputs: the output folder and how many rows ended how. */
export function setClassOutputs(folder: string, rows: readonly StudentRow[]): void {
  const count = (status: StudentRow['status']) => String(rows.filter((row) => row.status === status).length);
  core.setOutput('grades', folder);
  core.setOutput('graded', count('graded'));
  core.setOutput('ungradable', count('ungradable'));
  core.setOutput('missing', count('missing'));
}
