/** `grader class` and `grader class merge`: a thin adapter from the command line to the class layer. */
import path from 'node:path';
import type { StudentRow } from '../basics/class-results.js';
import { EXIT } from '../core/grade-submission.js';
import { catchInterrupts } from '../core/interrupts.js';
import { mergeClass } from '../class/merge-class.js';
import { readRoster } from '../class/roster.js';
import { gradeClass } from '../class/run-class.js';
import { createDockerEngine } from '../engine/docker-engine.js';
import { loadRubric } from '../rubric/load.js';
import { githubAccessFrom } from '../workspace/resolve-commit.js';
import type { ClassCommand } from './class-args.js';
import { classDisplay } from './class-progress.js';

/** Time the running gradings get to clean up after Ctrl-C before the process exits anyway. */
const INTERRUPT_GRACE_MS = 10_000;

export async function classCommand(command: ClassCommand): Promise<number> {
  return command.kind === 'class-merge' ? mergeCommand(command) : gradeClassCommand(command);
}

async function gradeClassCommand(command: Extract<ClassCommand, { kind: 'class' }>): Promise<number> {
  // Nothing is graded until the roster and the rubric both read cleanly.
  const [roster, rubric] = await Promise.all([
    readRoster(command.roster, command.repo !== undefined ? { repoPattern: command.repo } : {}),
    loadRubric(command.rubric, command.lang ? { locale: command.lang } : {}),
  ]);
  const color = command.color ?? (Boolean(process.stderr.isTTY) && !process.env.NO_COLOR);
  const display = classDisplay({ live: Boolean(process.stderr.isTTY) && !process.env.CI, verbose: command.verbose, color });
  const logger = display.logger();
  for (const warning of rubric.warnings ?? []) logger.warn(warning);
  const engine = createDockerEngine();
  const interrupts = catchInterrupts({
    reason: 'interrupted',
    announce: (signal) => logger.warn(`${signal}: stopping; the finished students are kept, the running ones cleaned up…`),
    graceMs: INTERRUPT_GRACE_MS,
    giveUp: () => process.exit(130),
  });
  try {
    const token = process.env[command.tokenEnv]?.trim();
    const outcome = await gradeClass({
      roster,
      rubric,
      outDir: command.out,
      jobs: command.jobs,
      force: command.force,
      exports: command.exports,
      github: githubAccessFrom({ ...(command.apiUrl ? { apiUrl: command.apiUrl } : {}), ...(token ? { token } : {}) }),
      engine,
      logger,
      loggerFor: (username) => display.logger(username),
      signal: interrupts.signal,
      onProgress: (event) => display.onProgress(event),
      ...(command.deadline ? { deadline: command.deadline } : {}),
      ...(command.branch ? { branch: command.branch } : {}),
      ...(command.shard ? { shard: command.shard } : {}),
    });
    display.close();
    process.stdout.write(
      `${summaryLine(outcome.result.students)}\nwrote ${path.join(command.out, 'index.html')} (and ${outcome.files.filter((file) => file !== 'index.html').join(', ')}, students/)\n`,
    );
    if (outcome.interrupted) return 130;
    const ungradable = outcome.result.students.filter((row) => row.status === 'ungradable');
    if (ungradable.length > 0) {
      process.stderr.write(
        `not graded (grade them again with the same command once fixed):\n${ungradable.map((row) => `  ${row.username}: ${row.reason ?? 'ungradable'}`).join('\n')}\n`,
      );
      return EXIT.ungradable;
    }
    return EXIT.passed;
  } finally {
    display.close();
    interrupts.release();
  }
}

async function mergeCommand(command: Extract<ClassCommand, { kind: 'class-merge' }>): Promise<number> {
  const { result, files, missingShards, shardCount } = await mergeClass(command.dirs, command.out, command.exports);
  if (missingShards.length > 0) {
    process.stderr.write(
      `warning: shard${missingShards.length === 1 ? '' : 's'} ${missingShards.join(', ')} of ${shardCount} not given: their students are not in the merge\n`,
    );
  }
  process.stdout.write(`${summaryLine(result.students)}\nwrote ${files.map((file) => path.join(command.out, file)).join(', ')}\n`);
  return result.students.some((row) => row.status === 'ungradable') ? EXIT.ungradable : EXIT.passed;
}

function summaryLine(rows: readonly StudentRow[]): string {
  const count = (status: StudentRow['status']) => rows.filter((row) => row.status === status).length;
  const late = rows.filter((row) => row.late_ms).length;
  return `${rows.length} students: ${count('graded')} graded, ${count('ungradable')} ungradable, ${count('missing')} missing${late ? `, ${late} late` : ''}`;
}
