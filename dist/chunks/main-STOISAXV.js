import { createRequire as __graderCreateRequire } from 'node:module';
import { fileURLToPath as __graderFileURLToPath } from 'node:url';
import { dirname as __graderDirname } from 'node:path';
const require = __graderCreateRequire(import.meta.url);
const __filename = __graderFileURLToPath(import.meta.url);
const __dirname = __graderDirname(__filename);
import {
  EXIT,
  catchInterrupts,
  exitCodeFor,
  gradeSubmission,
  newRunId,
  renderMarkdown,
  renderTerminal,
  toJson
} from "./chunk-LEWH7CI3.js";
import {
  UserError,
  createDockerEngine,
  errorMessage,
  loadRubric,
  locateRubric
} from "./chunk-KECEJUSJ.js";
import "./chunk-LGV4N2VW.js";

// src/cli/main.ts
import { writeFile } from "node:fs/promises";

// src/cli/validate-command.ts
import { basename } from "node:path";
async function validateRubric(nameOrPath) {
  const rubric = await loadRubric(nameOrPath);
  return { rubric, summary: summarizeRubric(rubric, basename(locateRubric(nameOrPath).file)) };
}
function summarizeRubric(rubric, label) {
  const points = Math.round(rubric.checks.reduce((sum, check) => sum + check.points, 0) * 1e3) / 1e3;
  const parts = [plural(rubric.checks.length, "check"), plural(points, "point")];
  if (rubric.pass !== void 0) parts.push(`pass ${rubric.pass}%`);
  return `${label}: ${parts.join(", ")}`;
}
function plural(count, noun) {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

// src/cli/args.ts
import { parseArgs } from "node:util";
var DEFAULT_RUBRIC = "web";
var USAGE = `grader \u2014 grade a Dockerfile project against a rubric

Usage:
  grader [PATH | GIT-URL]      grade a submission (default: the current folder)
    --rubric FILE|NAME         a rubric file, or the name of a built-in rubric (default: ${DEFAULT_RUBRIC})
    --ref REF                  commit, branch or tag to grade when cloning
    --json FILE                write the results as JSON
    --markdown FILE            write the report that would be posted
    --fail-under PERCENT       override the rubric's pass mark
    --verbose                  show the build log and progress details
    --no-color                 plain text (also NO_COLOR=1)
  grader validate RUBRIC       check a rubric and exit
  grader --help | --version

Exit codes: 0 graded and passed, 1 graded below the pass mark,
            2 usage or rubric error, 3 ungradable (engine or infrastructure).`;
function parseCommand(argv) {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        rubric: { type: "string", short: "r" },
        ref: { type: "string" },
        json: { type: "string" },
        markdown: { type: "string" },
        "fail-under": { type: "string" },
        verbose: { type: "boolean", short: "v", default: false },
        color: { type: "boolean" },
        "no-color": { type: "boolean" },
        help: { type: "boolean", short: "h", default: false },
        version: { type: "boolean", default: false }
      }
    });
  } catch (err) {
    throw new UserError(`${err.message}

${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: "help" };
  if (values.version) return { kind: "version" };
  if (positionals[0] === "validate") {
    if (positionals.length !== 2) throw new UserError(`usage: grader validate RUBRIC`);
    return { kind: "validate", rubric: positionals[1] };
  }
  if (positionals.length > 1)
    throw new UserError(`expected one submission, got ${positionals.length}: ${positionals.join(" ")}

${USAGE}`);
  const command = {
    kind: "grade",
    target: positionals[0] ?? ".",
    rubric: values.rubric ?? DEFAULT_RUBRIC,
    verbose: values.verbose ?? false
  };
  if (values.ref) command.ref = values.ref;
  if (values.json) command.json = values.json;
  if (values.markdown) command.markdown = values.markdown;
  if (values["no-color"]) command.color = false;
  else if (values.color !== void 0) command.color = values.color;
  if (values["fail-under"] !== void 0) command.failUnder = parsePercent(values["fail-under"]);
  return command;
}
function parsePercent(text) {
  const value = Number(text.replace(/%$/, ""));
  if (!Number.isFinite(value) || value < 0 || value > 100)
    throw new UserError(`--fail-under takes a percentage from 0 to 100, got "${text}"`);
  return value;
}

// src/cli/terminal-logger.ts
function terminalLogger(options) {
  const out = options.stream ?? process.stderr;
  const write = (text) => out.write(`${text}
`);
  return {
    info: (message) => write(message),
    warn: (message) => write(`warning: ${message}`),
    debug: (message) => {
      if (options.verbose) write(`  ${message}`);
    },
    async group(title, fn) {
      write(`${title}\u2026`);
      return fn();
    }
  };
}

// src/basics/version.ts
var VERSION = "0.1.0";

// src/cli/main.ts
var INTERRUPT_GRACE_MS = 5e3;
async function main(argv) {
  try {
    return await execute(parseCommand(argv));
  } catch (err) {
    if (err instanceof UserError) {
      process.stderr.write(`grader: ${err.message}
`);
      return EXIT.usage;
    }
    process.stderr.write(`grader: internal error: ${err instanceof Error ? err.stack ?? err.message : String(err)}
`);
    return EXIT.ungradable;
  }
}
async function execute(command) {
  switch (command.kind) {
    case "help":
      process.stdout.write(`${USAGE}
`);
      return EXIT.passed;
    case "version":
      process.stdout.write(`${VERSION}
`);
      return EXIT.passed;
    case "validate": {
      const { summary } = await validateRubric(command.rubric);
      process.stdout.write(`${summary} \u2014 valid
`);
      return EXIT.passed;
    }
    case "grade":
      return gradeCommand(command);
  }
}
async function gradeCommand(command) {
  const rubric = await loadRubric(command.rubric);
  const logger = terminalLogger({ verbose: command.verbose });
  const engine = createDockerEngine();
  const runId = newRunId();
  logger.debug(`run ${runId}: everything it creates carries the label io.github.grader.run=${runId}`);
  const interrupts = catchInterrupts({
    reason: "interrupted",
    announce: (signal) => logger.warn(`${signal}: stopping and cleaning up\u2026`),
    graceMs: INTERRUPT_GRACE_MS,
    // The run unwinds and cleans up by itself; this is the backstop if it hangs.
    giveUp: () => void engine.cleanup(runId).finally(() => process.exit(130))
  });
  try {
    const graded = await gradeSubmission({
      target: command.target,
      open: command.ref ? { ref: command.ref } : {},
      rubric,
      engine,
      logger,
      runId,
      signal: interrupts.signal,
      ...command.failUnder !== void 0 ? { passThreshold: command.failUnder } : {}
    }).catch((err) => {
      if (interrupts.signal.aborted) return void 0;
      throw err;
    });
    if (!graded || interrupts.signal.aborted) {
      await (graded ? graded.cleanedUp : engine.cleanup(runId).catch(() => {
      }));
      return 130;
    }
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
async function writeReports(command, result) {
  const writes = [];
  if (command.json) writes.push(writeOut(command.json, toJson(result)));
  if (command.markdown) writes.push(writeOut(command.markdown, renderMarkdown(result)));
  await Promise.all(writes);
}
async function writeOut(file, text) {
  try {
    await writeFile(file, text);
  } catch (err) {
    throw new UserError(`could not write ${file}: ${errorMessage(err)}`);
  }
}
export {
  main
};
