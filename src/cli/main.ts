/** The `grader` command: argv → grade → reports → exit code. A thin adapter over the core. */
import { writeFile } from 'node:fs/promises';
import { UserError, errorMessage } from '../basics/errors.js';
import { EXIT, exitCodeFor, gradeSubmission } from '../core/grade-submission.js';
import { newRunId } from '../core/grade.js';
import { startConnecting } from '../core/connect-engine.js';
import { catchInterrupts } from '../core/interrupts.js';
import { createDockerEngine } from '../engine/docker-engine.js';
import { renderMarkdown } from '../report/markdown.js';
import { renderTerminal } from '../report/terminal.js';
import { toJson } from '../report/json.js';
import { loadRubric } from '../rubric/load.js';
import { validateRubric } from './validate-command.js';
import { USAGE, parseCommand, type Command } from './args.js';
import { terminalLogger } from './terminal-logger.js';
import { classCommand } from './class-command.js';
import { calibrateCommand } from './calibrate-command.js';
import { classroom50ContextFromEnv, toClassroom50Result } from '../report/classroom50.js';
import { VERSION } from '../basics/version.js';

/** Time the clean-up gets after Ctrl-C before the process exits anyway. */
const INTERRUPT_GRACE_MS = 5_000;

export async function main(argv: readonly string[]): Promise<number> {
  try {
    return await execute(parseCommand(argv));
  } catch (err) {
    if (err instanceof UserError) {
      process.stderr.write(`grader: ${err.message}\n`);
      return EXIT.usage;
    }
    process.stderr.write(`grader: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return EXIT.ungradable;
  }
}

async function execute(command: Command): Promise<number> {
  switch (command.kind) {
    case 'help':
      process.stdout.write(`${USAGE}\n`);
      return EXIT.passed;
    case 'version':
      process.stdout.write(`${VERSION}\n`);
      return EXIT.passed;
    case 'validate': {
      const { rubric, summary } = await validateRubric(command.rubric);
      for (const warning of rubric.warnings ?? []) process.stderr.write(`warning: ${warning}\n`);
      process.stdout.write(`${summary} — valid\n`);
      return EXIT.passed;
    }
    case 'grade':
      return gradeCommand(command);
    case 'class':
    case 'class-merge':
      return classCommand(command);
    case 'calibrate':
      return calibrateCommand(command);
  }
}

async function gradeCommand(command: Extract<Command, { kind: 'grade' }>): Promise<number> {
  const logger = terminalLogger({ verbose: command.verbose });
  const engine = createDockerEngine();
  const connected = startConnecting(engine, logger);
  const rubric = await loadRubric(command.rubric, command.lang ? { locale: command.lang } : {});
  const runId = newRunId();
  logger.debug(`run ${runId}: everything it creates carries the label io.github.grader.run=${runId}`);
  const interrupts = catchInterrupts({
    reason: 'interrupted',
    announce: (signal) => logger.warn(`${signal}: stopping and cleaning up…`),
    graceMs: INTERRUPT_GRACE_MS,
    // The run unwinds and cleans up by itself; this is the backstop if it hangs.
    giveUp: () => void engine.cleanup(runId).finally(() => process.exit(130)),
  });
  try {
    const graded = await gradeSubmission({
      target: command.target,
      open: command.ref ? { ref: command.ref } : {},
      rubric,
      engine,
      logger,
      runId,
      connected,
      signal: interrupts.signal,
      ...(command.failUnder !== undefined ? { passThreshold: command.failUnder } : {}),
    }).catch((err: unknown) => {
      // Stopped while getting the submission (a clone, say): nothing was graded.
      if (interrupts.signal.aborted) return undefined;
      throw err;
    });
    if (!graded || interrupts.signal.aborted) {
      await (graded ? graded.cleanedUp : engine.cleanup(runId).catch(() => {}));
      return 130;
    }
    // The report first; the process ends once the clean-up, going on meanwhile, is done.
    const { result, cleanedUp } = graded;
    const color = command.color ?? (Boolean(process.stdout.isTTY) && !process.env.NO_COLOR);
    process.stdout.write(renderTerminal(result, { color }));
    try {
      await writeReports(command, result);
    } finally {
      await cleanedUp;
    }
    return interrupts.signal.aborted ? 130 : exitCodeFor(result);
  } finally {
    interrupts.release();
  }
}

async function writeReports(
  command: { json?: string; markdown?: string; classroom50?: string },
  result: Parameters<typeof toJson>[0],
): Promise<void> {
  const writes: Promise<void>[] = [];
  if (command.json) writes.push(writeOut(command.json, toJson(result)));
  if (command.markdown) writes.push(writeOut(command.markdown, renderMarkdown(result)));
  // Classroom 50 reads a missing result.json (and a non-zero exit) as an infrastructure error, as an ungradable run is.
  if (command.classroom50 && result.status === 'graded') {
    const context = classroom50ContextFromEnv(process.env, new Date(), result.submission.committed_at);
    writes.push(writeOut(command.classroom50, toClassroom50Result(result, context)));
  }
  await Promise.all(writes);
}

async function writeOut(file: string, text: string): Promise<void> {
  try {
    await writeFile(file, text);
  } catch (err) {
    throw new UserError(`could not write ${file}: ${errorMessage(err)}`);
  }
}
