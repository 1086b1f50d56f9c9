/**
 * The action in class mode (the `roster` input): grade every student's repository from the
 * instructor's repository, write the output folder, put the class summary in the job summary.
 * The step fails when a student could not be graded (named in the log), as the CLI exits 3.
 */
import * as core from '@actions/core';
import { errorMessage } from '../basics/errors.js';
import type { StudentRow } from '../basics/class-results.js';
import type { Logger } from '../basics/logger.js';
import { catchInterrupts } from '../core/interrupts.js';
import { readRoster } from '../class/roster.js';
import { gradeClass } from '../class/run-class.js';
import { createDockerEngine } from '../engine/docker-engine.js';
import { renderClassSummary } from '../report/class-summary.js';
import { loadRubric } from '../rubric/load.js';
import { githubAccessFrom } from '../workspace/resolve-commit.js';
import type { ClassSettings } from './inputs.js';
import { setClassOutputs } from './outputs.js';
import { writeJobSummary } from './summary.js';

const INTERRUPT_GRACE_MS = 5_000;

export async function runClass(settings: ClassSettings, logger: Logger): Promise<void> {
  let roster, rubric, github;
  try {
    github = githubAccessFrom({
      ...(settings.apiUrl ? { apiUrl: settings.apiUrl } : {}),
      ...(settings.token ? { token: settings.token } : {}),
    });
    [roster, rubric] = await Promise.all([
      readRoster(settings.roster, settings.repoPattern ? { repoPattern: settings.repoPattern } : {}),
      loadRubric(settings.rubric, settings.lang ? { locale: settings.lang } : {}),
    ]);
  } catch (err) {
    core.setFailed(`grader: ${errorMessage(err)}`);
    return;
  }
  if (settings.token) core.setSecret(settings.token);
  const interrupts = catchInterrupts({
    reason: 'cancelled',
    announce: (signal) => logger.warn(`${signal}: the job is being cancelled; keeping the finished students, cleaning up the rest`),
    graceMs: INTERRUPT_GRACE_MS,
    giveUp: () => process.exit(1),
  });
  try {
    let done = 0;
    let total = 0;
    const outcome = await gradeClass({
      roster,
      rubric,
      outDir: settings.out,
      jobs: settings.jobs,
      force: false,
      exports: settings.exports,
      github,
      engine: createDockerEngine(),
      logger,
      loggerFor: (username) => prefixed(logger, username),
      signal: interrupts.signal,
      onProgress: (event) => {
        if (event.type === 'plan') total = event.total;
        if (event.type === 'finished') logger.info(`[${++done}/${total}] ${event.row.username}: ${describe(event.row)}`);
      },
      ...(settings.deadline ? { deadline: settings.deadline } : {}),
      ...(settings.branch ? { branch: settings.branch } : {}),
      ...(settings.shard ? { shard: settings.shard } : {}),
    });
    const rows = outcome.result.students;
    setClassOutputs(settings.out, rows);
    await writeJobSummary(renderClassSummary(outcome.result)).catch((err: unknown) =>
      logger.warn(`could not write the job summary: ${errorMessage(err)}`),
    );
    const ungradable = rows.filter((row) => row.status === 'ungradable');
    if (outcome.interrupted) core.setFailed('grader: cancelled; the finished students are in the output folder');
    else if (ungradable.length > 0) {
      core.setFailed(
        `grader: ${ungradable.length} not graded: ${ungradable.map((row) => `${row.username} (${row.reason ?? 'ungradable'})`).join(', ')}`,
      );
    }
  } finally {
    interrupts.release();
  }
}

function prefixed(logger: Logger, username: string): Logger {
  return {
    info: (message) => logger.debug(`${username}: ${message}`),
    warn: (message) => logger.warn(`${username}: ${message}`),
    debug: (message) => logger.debug(`${username}: ${message}`),
    group: (_title, fn) => fn(),
  };
}

function describe(row: StudentRow): string {
  if (row.status !== 'graded' || !row.result) return `${row.status}${row.reason ? ` (${row.reason})` : ''}`;
  return `${row.result.score}/${row.result.max_score}${row.late_ms ? ', late' : ''}`;
}
