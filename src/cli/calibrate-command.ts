/** `grader calibrate`: a thin adapter from the command line to the calibration. */
import { writeFile } from 'node:fs/promises';
import { UserError, errorMessage } from '../basics/errors.js';
import { cleanText } from '../basics/sanitize.js';
import { silentLogger, type Logger } from '../basics/logger.js';
import { builtinMutations } from '../class/calibrate/builtin-mutations.js';
import { calibrate, type CalibrationProgress } from '../class/calibrate/calibrate.js';
import { loadMutationsFile } from '../class/calibrate/mutations-file.js';
import { renderCalibrationJson, renderCalibrationMarkdown, renderCalibrationText } from '../class/calibrate/render.js';
import { EXIT } from '../core/grade-submission.js';
import { catchInterrupts } from '../core/interrupts.js';
import { createDockerEngine } from '../engine/docker-engine.js';
import { renderTerminal } from '../report/terminal.js';
import { loadRubric } from '../rubric/load.js';
import type { CalibrateCommand } from './calibrate-args.js';
import { terminalLogger } from './terminal-logger.js';

/** Time the running gradings get to clean up after Ctrl-C before the process exits anyway. */
const INTERRUPT_GRACE_MS = 10_000;

export async function calibrateCommand(command: CalibrateCommand): Promise<number> {
  // Nothing is graded until the rubric and the mutations file both read cleanly.
  const builtins = builtinMutations();
  const [rubric, custom] = await Promise.all([
    loadRubric(command.rubric),
    command.mutations
      ? loadMutationsFile(
          command.mutations,
          builtins.map((m) => m.name),
        )
      : [],
  ]);
  const logger = terminalLogger({ verbose: command.verbose });
  const engine = createDockerEngine();
  const interrupts = catchInterrupts({
    reason: 'interrupted',
    announce: (signal) => logger.warn(`${signal}: stopping and cleaning up…`),
    graceMs: INTERRUPT_GRACE_MS,
    giveUp: () => process.exit(130),
  });
  try {
    const outcome = await calibrate({
      solutionDir: command.solution,
      rubric,
      mutations: [...builtins, ...custom],
      engine,
      jobs: command.jobs,
      logger,
      loggerFor: (name) => (command.verbose ? prefixed(logger, name) : silentLogger),
      signal: interrupts.signal,
      onProgress: (event) => progress(event),
    });
    if (interrupts.signal.aborted) return 130;
    if (outcome.status !== 'calibrated') {
      process.stdout.write(renderTerminal(outcome.solution, { color: false }));
      process.stderr.write(
        outcome.status === 'ungradable'
          ? `grader: the reference solution could not be graded, so nothing was calibrated\n`
          : `grader: the reference solution must score full marks to calibrate against it (it scored ${outcome.solution.score}/${outcome.solution.max_score}): fix the checks marked above, in the solution or in the rubric\n`,
      );
      return outcome.status === 'ungradable' ? EXIT.ungradable : EXIT.belowPass;
    }
    const { calibration } = outcome;
    process.stdout.write(renderCalibrationText(calibration));
    const writes: Promise<void>[] = [];
    if (command.json) writes.push(writeOut(command.json, renderCalibrationJson(calibration)));
    if (command.markdown) writes.push(writeOut(command.markdown, renderCalibrationMarkdown(calibration)));
    await Promise.all(writes);
    if (outcome.interrupted) return 130;
    return calibration.mutations.some((row) => row.status === 'ungradable') ? EXIT.ungradable : EXIT.passed;
  } finally {
    interrupts.release();
  }
}

function progress(event: CalibrationProgress): void {
  if (event.type === 'solution') {
    const { result } = event;
    const score = result.status === 'graded' ? `${result.score}/${result.max_score}` : 'ungradable';
    process.stderr.write(`reference solution: ${score}\n`);
    return;
  }
  const { row, done, total } = event;
  const what =
    row.status === 'graded'
      ? `${row.score} points${row.caught_by.length > 0 ? `, caught by ${row.caught_by.map((c) => c.id).join(', ')}` : ', no points lost'}`
      : row.status === 'not-applicable'
        ? 'skipped (does not apply)'
        : `not graded: ${cleanText(row.reason ?? '')}`;
  process.stderr.write(`[${done}/${total}] ${row.name}: ${what}\n`);
}

function prefixed(logger: Logger, name: string): Logger {
  return {
    info: (message) => logger.info(`[${name}] ${message}`),
    warn: (message) => logger.warn(`[${name}] ${message}`),
    debug: (message) => logger.debug(`[${name}] ${message}`),
    group: (title, fn) => logger.group(`[${name}] ${title}`, fn),
  };
}

async function writeOut(file: string, text: string): Promise<void> {
  try {
    await writeFile(file, text);
  } catch (err) {
    throw new UserError(`could not write ${file}: ${errorMessage(err)}`);
  }
}
