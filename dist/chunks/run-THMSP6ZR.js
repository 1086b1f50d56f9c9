import { createRequire as __graderCreateRequire } from 'node:module';
import { fileURLToPath as __graderFileURLToPath } from 'node:url';
import { dirname as __graderDirname } from 'node:path';
const require = __graderCreateRequire(import.meta.url);
const __filename = __graderFileURLToPath(import.meta.url);
const __dirname = __graderDirname(__filename);
import {
  createGitHubApi,
  httpStatus,
  inputEnvironment,
  parseSettings,
  readInputs,
  readRunContext
} from "./chunk-6FTRKU24.js";
import {
  STATE,
  debug,
  group,
  saveState,
  setFailed,
  setOutput,
  setSecret,
  summary,
  warning
} from "./chunk-3UALRXVO.js";
import {
  catchInterrupts,
  checkLocations,
  clip,
  fence,
  firstLine,
  gradeSubmission,
  newRunId,
  renderMarkdown,
  renderSummaryLine,
  renderTerminal,
  toJson,
  wrapForWorkflowLog
} from "./chunk-LEWH7CI3.js";
import {
  RubricError,
  UserError,
  createDockerEngine,
  errorMessage,
  formatRubricProblem,
  loadRubric
} from "./chunk-KECEJUSJ.js";
import "./chunk-LGV4N2VW.js";

// src/action/run.ts
import path2 from "node:path";

// src/action/action-logger.ts
var COMMAND_LIKE = /(?:^|[\r\n])\s*(?:::|##\[)/;
function actionLogger(write = (text) => process.stdout.write(text)) {
  return {
    info: (message) => write(toLog(message)),
    // core escapes newlines and `%` in command data, so student text here cannot start a command.
    warn: (message) => warning(message),
    debug: (message) => debug(message),
    group: (title, fn) => group(title, fn)
  };
}
function toLog(text) {
  if (COMMAND_LIKE.test(text)) return wrapForWorkflowLog(text);
  return text.endsWith("\n") ? text : `${text}
`;
}

// src/action/check-run.ts
var CHECK_NAME = "grader";
var MAX_ANNOTATIONS_PER_REQUEST = 50;
var MAX_CHECK_SUMMARY_LENGTH = 65535;
var MAX_ANNOTATION_MESSAGE = 4e3;
function conclusionFor(result) {
  if (result.status === "ungradable") return "neutral";
  return result.passed ? "success" : "failure";
}
function annotationsFor(result, pathPrefix = "") {
  return result.checks.filter((check) => check.status === "failed" && !check.hidden).flatMap((check) => checkAnnotations(check, pathPrefix));
}
function checkAnnotations(check, pathPrefix) {
  const message = clip([check.message, check.feedback].filter(Boolean).join("\n\n"), MAX_ANNOTATION_MESSAGE);
  return checkLocations(check).filter((location) => location.line >= 1).map((location) => ({
    path: joinPath(pathPrefix, location.path),
    start_line: location.line,
    end_line: Math.max(location.line, location.endLine ?? location.line),
    // A check worth no points is advice, not a fault.
    annotation_level: check.max_points > 0 ? "failure" : "warning",
    message,
    title: check.name
  }));
}
function inBatches(items, size = MAX_ANNOTATIONS_PER_REQUEST) {
  const batches = [];
  for (let i = 0; i < items.length; i += size) batches.push(items.slice(i, i + size));
  return batches;
}
async function startCheckRun(api, headSha, details) {
  return api.createCheckRun({
    name: CHECK_NAME,
    head_sha: headSha,
    external_id: details.runId,
    ...details.runUrl ? { details_url: details.runUrl } : {}
  });
}
async function completeCheckRun(api, checkRunId, conclusion, output) {
  const [first = [], ...rest] = inBatches(output.annotations ?? []);
  const base = { title: output.title, summary: output.summary };
  await api.updateCheckRun(checkRunId, {
    status: "completed",
    conclusion,
    completed_at: (/* @__PURE__ */ new Date()).toISOString(),
    output: first.length > 0 ? { ...base, annotations: first } : base
  });
  for (const batch of rest) await api.updateCheckRun(checkRunId, { output: { ...base, annotations: batch } });
}
function joinPath(prefix, file) {
  const clean = file.replace(/^\.?\/+/, "");
  return prefix ? `${prefix.replace(/\/+$/, "")}/${clean}` : clean;
}

// src/action/comment.ts
var REPORT_MARKER = "<!-- grader:report -->";
var MAX_COMMENT_LENGTH = 65536;
var ACTIONS_BOT = { login: "github-actions[bot]", bot: true };
function commentAuthor(userLogin, appSlug) {
  if (userLogin) return { login: userLogin, bot: false };
  if (appSlug) return { login: `${appSlug}[bot]`, bot: true };
  return ACTIONS_BOT;
}
function isOwnReport(comment, author, marker = REPORT_MARKER) {
  if (!comment.user || comment.user.login !== author.login) return false;
  if (author.bot && comment.user.type !== "Bot") return false;
  return comment.body.trimStart().startsWith(marker);
}
function findOwnReport(comments, author, marker = REPORT_MARKER) {
  return comments.filter((comment) => isOwnReport(comment, author, marker)).at(-1);
}
async function upsertReportComment(api, issueNumber, body, author) {
  if (body.length > MAX_COMMENT_LENGTH) throw new Error(`report comment is ${body.length} characters, over GitHub's ${MAX_COMMENT_LENGTH}`);
  const existing = findOwnReport(await api.listIssueComments(issueNumber), author);
  if (existing) {
    await api.updateIssueComment(existing.id, body);
    return { action: "updated", id: existing.id };
  }
  const created = await api.createIssueComment(issueNumber, body);
  return { action: "created", id: created.id };
}

// src/action/summary.ts
var MAX_SUMMARY_LENGTH = 3e5;
function composeSummary(parts) {
  const sections = [];
  for (const warning2 of parts.warnings) sections.push(`> [!WARNING]
> ${warning2.replace(/\n/g, "\n> ")}
`);
  if (parts.failure !== void 0) sections.push(`## grader: not graded

${fence(parts.failure)}`);
  if (parts.report !== void 0) sections.push(parts.report);
  return sections.join("\n");
}
async function writeJobSummary(markdown) {
  await summary.addRaw(markdown, true).write();
}

// src/action/outcome.ts
function describeNotGraded(err) {
  if (err instanceof RubricError) {
    const [first = firstLine(err.message), ...more] = err.problems.map(formatRubricProblem);
    const others = more.length > 0 ? ` (and ${more.length} more problem${more.length === 1 ? "" : "s"}; see the job summary)` : "";
    return { headline: `grader: invalid rubric: ${first}${others}`, detail: err.message };
  }
  if (err instanceof UserError) return { headline: `grader: not graded: ${firstLine(err.message)}`, detail: err.message };
  const detail = err instanceof Error ? err.stack ?? err.message : String(err);
  return { headline: `grader: internal error: ${firstLine(errorMessage(err))}`, detail };
}
function stepFailure(outcome) {
  if ("notGraded" in outcome) return outcome.notGraded.headline;
  const { result } = outcome;
  if (result.status === "ungradable") return `grader: not graded: ${firstLine(result.reason ?? "the submission could not be graded")}`;
  if (!result.passed) return renderSummaryLine(result);
  return void 0;
}
function commentBody(outcome) {
  if ("result" in outcome) return renderMarkdown(outcome.result, { marker: REPORT_MARKER, maxLength: MAX_COMMENT_LENGTH });
  return clip(`${REPORT_MARKER}
${composeSummary({ warnings: [], failure: outcome.notGraded.detail })}`, MAX_COMMENT_LENGTH);
}
function checkCompletion(outcome, annotationPrefix2) {
  if ("notGraded" in outcome) {
    return {
      conclusion: outcome.cancelled ? "cancelled" : "neutral",
      title: outcome.cancelled ? "grader: cancelled" : "grader: not graded",
      summary: clip(composeSummary({ warnings: [], failure: outcome.notGraded.detail }), MAX_CHECK_SUMMARY_LENGTH)
    };
  }
  const { result } = outcome;
  return {
    conclusion: outcome.cancelled ? "cancelled" : conclusionFor(result),
    title: renderSummaryLine(result),
    summary: renderMarkdown(result, { maxLength: MAX_CHECK_SUMMARY_LENGTH }),
    ...annotationPrefix2 !== void 0 ? { annotations: annotationsFor(result, annotationPrefix2) } : {}
  };
}
function summaryMarkdown(outcome, warnings) {
  const markdown = "result" in outcome ? composeSummary({ warnings, report: renderMarkdown(outcome.result, { maxLength: MAX_SUMMARY_LENGTH - 8e3 }) }) : composeSummary({ warnings, failure: outcome.notGraded.detail });
  return clip(markdown, MAX_SUMMARY_LENGTH);
}

// src/action/outputs.ts
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
async function writeReportFiles(result, markdown, runId, env = process.env) {
  const dir = path.join(env.RUNNER_TEMP || os.tmpdir(), `grader-${runId}`);
  await mkdir(dir, { recursive: true });
  const files = { results: path.join(dir, "results.json"), report: path.join(dir, "report.md") };
  await Promise.all([writeFile(files.results, toJson(result)), writeFile(files.report, markdown)]);
  return files;
}
function setOutputs(result, files) {
  setOutput("score", result?.score ?? "");
  setOutput("max-score", result?.max_score ?? "");
  setOutput("percent", result?.percent ?? "");
  setOutput("passed", result?.passed ? "true" : "false");
  setOutput("results", files?.results ?? "");
  setOutput("report", files?.report ?? "");
}

// src/action/write-failure.ts
var PERMISSION = { comment: "pull-requests", "check run": "checks" };
function writeFailureWarning(err, what, fromFork) {
  const status = httpStatus(err);
  const detail = firstLine(errorMessage(err));
  if (status === 403 && fromFork) {
    return `this pull request comes from a fork: the token is read-only, so the grader could not post its ${what} (${detail}). The report is in this job summary. To comment on pull requests from forks, use the two-workflow (workflow_run) setup described in the grader documentation.`;
  }
  if (status === 403 || status === 401) {
    return `the token may not write the ${what} (${detail}): give the job \`permissions: ${PERMISSION[what]}: write\`. The report is in this job summary.`;
  }
  return `could not post the ${what}: ${detail}. The report is in this job summary.`;
}

// src/action/publish.ts
var Publisher = class {
  constructor(api, context, logger) {
    this.api = api;
    this.context = context;
    this.logger = logger;
  }
  api;
  context;
  logger;
  warnings = [];
  checkRunId;
  appSlug;
  /** Creates the in-progress check run; returns its id, or undefined when it could not be created. */
  async startCheck(runId) {
    if (!this.context.checkSha) return void 0;
    try {
      const created = await startCheckRun(this.api, this.context.checkSha, {
        runId,
        ...this.context.runUrl ? { runUrl: this.context.runUrl } : {}
      });
      this.checkRunId = created.id;
      this.appSlug = created.appSlug;
      return created.id;
    } catch (err) {
      this.fail(err, "check run");
      return void 0;
    }
  }
  /** Returns whether the check run now shows its conclusion. */
  async finishCheck(completion) {
    if (this.checkRunId === void 0) return false;
    try {
      await completeCheckRun(this.api, this.checkRunId, completion.conclusion, completion);
      this.logger.info(`check run ${this.checkRunId} completed: ${completion.conclusion}`);
      return true;
    } catch (err) {
      this.fail(err, "check run");
      return false;
    }
  }
  async comment(body) {
    const pr = this.context.pullRequest;
    if (!pr) return;
    try {
      const author = commentAuthor(await this.api.authenticatedLogin(), this.appSlug);
      const { action, id } = await upsertReportComment(this.api, pr.number, body, author);
      this.logger.info(`${action} report comment ${id} on pull request #${pr.number}`);
    } catch (err) {
      this.fail(err, "comment");
    }
  }
  fail(err, what) {
    const warning2 = writeFailureWarning(err, what, this.context.pullRequest?.fromFork ?? false);
    this.logger.debug(`${what} write failed: ${errorMessage(err)}`);
    this.logger.warn(warning2);
    if (!this.warnings.includes(warning2)) this.warnings.push(warning2);
  }
};

// src/action/run.ts
var INTERRUPT_GRACE_MS = 5e3;
async function run(env = process.env) {
  saveState(STATE.isPost, "true");
  const runId = newRunId();
  saveState(STATE.runId, runId);
  try {
    await runStep(runId, env);
  } catch (err) {
    setOutputs(void 0, void 0);
    setFailed(`grader: internal error: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
  }
}
async function runStep(runId, env) {
  const logger = actionLogger();
  let settings;
  try {
    settings = parseSettings(readInputs(), inputEnvironment(env));
  } catch (err) {
    setOutputs(void 0, void 0);
    setFailed(`grader: ${errorMessage(err)}`);
    return;
  }
  if (settings.cloneAuthHeader) setSecret(settings.cloneAuthHeader.split(" ").at(-1) ?? "");
  const context = readRunContext(env);
  const publisher = createPublisher(settings, context, logger);
  const checkRunId = settings.reports.has("check") ? await publisher?.startCheck(runId) : void 0;
  if (checkRunId !== void 0) saveState(STATE.checkRunId, String(checkRunId));
  const { outcome, cleanedUp } = await gradeUntilCancelled(settings, runId, logger);
  try {
    const body = commentBody(outcome);
    let files;
    if ("result" in outcome) {
      process.stdout.write(wrapForWorkflowLog(renderTerminal(outcome.result, { color: true })));
      files = await writeReportFiles(outcome.result, body, runId, env).catch((err) => {
        logger.warn(`could not write the results file: ${errorMessage(err)}`);
        return void 0;
      });
    }
    setOutputs("result" in outcome ? outcome.result : void 0, files);
    if (publisher) {
      if (settings.reports.has("comment") && context.pullRequest && !outcome.cancelled) await publisher.comment(body);
      if (checkRunId !== void 0 && await publisher.finishCheck(checkCompletion(outcome, annotationPrefix(settings, env)))) {
        saveState(STATE.checkRunDone, "true");
      }
    }
    if (settings.reports.has("summary")) {
      await writeJobSummary(summaryMarkdown(outcome, publisher?.warnings ?? [])).catch((err) => {
        logger.warn(`could not write the job summary: ${errorMessage(err)}`);
      });
    }
    const failure = stepFailure(outcome);
    if (failure) setFailed(failure);
  } finally {
    await cleanedUp;
  }
}
function createPublisher(settings, context, logger) {
  const wantsCheck = settings.reports.has("check") && Boolean(context.checkSha);
  const wantsComment = settings.reports.has("comment") && Boolean(context.pullRequest);
  if (!wantsCheck && !wantsComment) return void 0;
  if (!settings.token) {
    logger.warn('no token: the check run and the pull request comment are skipped (set the "token" input).');
    return void 0;
  }
  const api = createGitHubApi({ token: settings.token, owner: context.owner, repo: context.repo, baseUrl: context.apiUrl });
  return new Publisher(api, context, logger);
}
async function gradeUntilCancelled(settings, runId, logger) {
  const interrupts = catchInterrupts({
    reason: "cancelled",
    announce: (signal) => logger.warn(`${signal}: the job is being cancelled; stopping and cleaning up`),
    graceMs: INTERRUPT_GRACE_MS,
    // The runner kills the step soon after; the post step removes leftovers and closes the check run.
    giveUp: () => {
      logger.warn("grading did not stop in time; the post step cleans up");
      process.exit(1);
    }
  });
  const { outcome, cleanedUp } = await grade(settings, runId, logger, interrupts.signal);
  const released = cleanedUp.finally(() => interrupts.release());
  return { outcome: interrupts.signal.aborted ? { ...outcome, cancelled: true } : outcome, cleanedUp: released };
}
async function grade(settings, runId, logger, signal) {
  try {
    const rubric = await loadRubric(settings.rubric);
    warnIfRubricInsideSubmission(settings, logger);
    const { result, cleanedUp } = await gradeSubmission({
      target: settings.target,
      displaySource: settings.displaySource,
      open: {
        ...settings.ref ? { ref: settings.ref } : {},
        ...settings.cloneAuthHeader ? { authHeader: settings.cloneAuthHeader } : {}
      },
      rubric,
      engine: createDockerEngine(),
      logger,
      runId,
      signal,
      ...settings.failUnder !== void 0 ? { passThreshold: settings.failUnder } : {}
    });
    return { outcome: { result }, cleanedUp };
  } catch (err) {
    return { outcome: { notGraded: describeNotGraded(err) }, cleanedUp: Promise.resolve() };
  }
}
function warnIfRubricInsideSubmission(settings, logger) {
  if (!settings.localDir || !path2.isAbsolute(settings.rubric)) return;
  const relative = path2.relative(settings.localDir, settings.rubric);
  if (!relative.startsWith("..") && !path2.isAbsolute(relative)) {
    logger.warn(`the rubric ${relative} lies inside the graded folder: whoever can push to it can change the rubric.`);
  }
}
function annotationPrefix(settings, env) {
  if (!settings.localDir || settings.ref) return void 0;
  const relative = path2.relative(inputEnvironment(env).workspace, settings.localDir);
  if (relative.startsWith("..") || path2.isAbsolute(relative)) return void 0;
  return relative.split(path2.sep).join("/");
}
export {
  run
};
