/**
 * The action's main step: read the inputs, grade, then report everywhere asked —
 * results file and outputs always, the PR comment, the check run, the job summary.
 * The step fails only when the grade is below the pass mark, the rubric is broken,
 * or the submission could not be graded; a report that could not be posted is a warning.
 */
import path from 'node:path';
import * as core from '@actions/core';
import { errorMessage } from '../basics/errors.js';
import { startConnecting } from '../core/connect-engine.js';
import { gradeSubmission } from '../core/grade-submission.js';
import { newRunId } from '../core/grade.js';
import { catchInterrupts } from '../core/interrupts.js';
import type { Logger } from '../basics/logger.js';
import { createDockerEngine } from '../engine/docker-engine.js';
import { wrapForWorkflowLog } from '../basics/sanitize.js';
import { renderTerminal } from '../report/terminal.js';
import { loadRubric } from '../rubric/load.js';
import { actionLogger } from './action-logger.js';
import { createGitHubApi } from './github-api.js';
import { readRunContext, type RunContext } from './github-context.js';
import { inputEnvironment, parseClassSettings, parseSettings, readInputs, type ActionSettings, type ClassSettings } from './inputs.js';
import { runClass } from './class-run.js';
import { checkCompletion, commentBody, describeNotGraded, stepFailure, summaryMarkdown, type Outcome } from './outcome.js';
import { setOutputs, writeReportFiles, type ReportFiles } from './outputs.js';
import { Publisher } from './publish.js';
import { STATE } from './state.js';
import { writeJobSummary } from './summary.js';

/** How long grading gets to unwind after a cancel; the runner sends SIGTERM ~7.5 s after SIGINT. */
const INTERRUPT_GRACE_MS = 5_000;

export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  // Saved first, so that the post step cleans up even if anything below fails.
  core.saveState(STATE.isPost, 'true');
  const runId = newRunId();
  core.saveState(STATE.runId, runId);
  try {
    await runStep(runId, env);
  } catch (err) {
    setOutputs(undefined, undefined);
    core.setFailed(`grader: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  }
}

async function runStep(runId: string, env: NodeJS.ProcessEnv): Promise<void> {
  const logger = actionLogger();
  let settings: ActionSettings;
  let classSettings: ClassSettings | undefined;
  try {
    const raw = readInputs();
    classSettings = parseClassSettings(raw, { ...inputEnvironment(env), ...(env.GITHUB_API_URL ? { apiUrl: env.GITHUB_API_URL } : {}) });
    settings = parseSettings(raw, inputEnvironment(env));
  } catch (err) {
    setOutputs(undefined, undefined);
    core.setFailed(`grader: ${errorMessage(err)}`);
    return;
  }
  if (classSettings) return runClass(classSettings, logger);
  // The runner masks the token itself, not the base64 form git is given.
  if (settings.cloneAuthHeader) core.setSecret(settings.cloneAuthHeader.split(' ').at(-1) ?? '');

  const context = readRunContext(env);
  const publisher = createPublisher(settings, context, logger);
  const checkRunId = settings.reports.has('check') ? await publisher?.startCheck(runId) : undefined;
  if (checkRunId !== undefined) core.saveState(STATE.checkRunId, String(checkRunId));

  const { outcome, cleanedUp } = await gradeUntilCancelled(settings, runId, logger);
  // Reported while the run's clean-up goes on; the step ends once it is done.
  try {
    const body = commentBody(outcome);

    let files: ReportFiles | undefined;
    if ('result' in outcome) {
      process.stdout.write(wrapForWorkflowLog(renderTerminal(outcome.result, { color: true })));
      files = await writeReportFiles(outcome.result, body, runId, env).catch((err: unknown) => {
        logger.warn(`could not write the results file: ${errorMessage(err)}`);
        return undefined;
      });
    }
    setOutputs('result' in outcome ? outcome.result : undefined, files);

    if (publisher) {
      if (settings.reports.has('comment') && context.pullRequest && !outcome.cancelled) await publisher.comment(body);
      if (checkRunId !== undefined && (await publisher.finishCheck(checkCompletion(outcome, annotationPrefix(settings, env))))) {
        core.saveState(STATE.checkRunDone, 'true');
      }
    }
    if (settings.reports.has('summary')) {
      await writeJobSummary(summaryMarkdown(outcome, publisher?.warnings ?? [])).catch((err: unknown) => {
        logger.warn(`could not write the job summary: ${errorMessage(err)}`);
      });
    }

    const failure = stepFailure(outcome);
    if (failure) core.setFailed(failure);
  } finally {
    await cleanedUp;
  }
}

function createPublisher(settings: ActionSettings, context: RunContext, logger: Logger): Publisher | undefined {
  const wantsCheck = settings.reports.has('check') && Boolean(context.checkSha);
  const wantsComment = settings.reports.has('comment') && Boolean(context.pullRequest);
  if (!wantsCheck && !wantsComment) return undefined;
  if (!settings.token) {
    logger.warn('no token: the check run and the pull request comment are skipped (set the "token" input).');
    return undefined;
  }
  const api = createGitHubApi({ token: settings.token, owner: context.owner, repo: context.repo, baseUrl: context.apiUrl });
  return new Publisher(api, context, logger);
}

/** Grades, stopping cleanly when the runner cancels the job (SIGINT, then SIGTERM ~7.5 s later). */
async function gradeUntilCancelled(
  settings: ActionSettings,
  runId: string,
  logger: Logger,
): Promise<{ outcome: Outcome; cleanedUp: Promise<void> }> {
  const interrupts = catchInterrupts({
    reason: 'cancelled',
    announce: (signal) => logger.warn(`${signal}: the job is being cancelled; stopping and cleaning up`),
    graceMs: INTERRUPT_GRACE_MS,
    // The runner kills the step soon after; the post step removes leftovers and closes the check run.
    giveUp: () => {
      logger.warn('grading did not stop in time; the post step cleans up');
      process.exit(1);
    },
  });
  const { outcome, cleanedUp } = await grade(settings, runId, logger, interrupts.signal);
  const released = cleanedUp.finally(() => interrupts.release());
  return { outcome: interrupts.signal.aborted ? { ...outcome, cancelled: true } : outcome, cleanedUp: released };
}

async function grade(
  settings: ActionSettings,
  runId: string,
  logger: Logger,
  signal: AbortSignal,
): Promise<{ outcome: Outcome; cleanedUp: Promise<void> }> {
  // The language of the words around a failure: the one asked for, else the rubric's once it is read.
  let locale = settings.lang;
  try {
    const engine = createDockerEngine();
    const connected = startConnecting(engine, logger);
    const rubric = await loadRubric(settings.rubric, settings.lang ? { locale: settings.lang } : {});
    core.saveState(STATE.locale, rubric.locale);
    locale = rubric.locale;
    warnIfRubricInsideSubmission(settings, logger);
    const { result, cleanedUp } = await gradeSubmission({
      target: settings.target,
      displaySource: settings.displaySource,
      open: {
        ...(settings.ref ? { ref: settings.ref } : {}),
        ...(settings.cloneAuthHeader ? { authHeader: settings.cloneAuthHeader } : {}),
      },
      rubric,
      engine,
      connected,
      logger,
      runId,
      signal,
      ...(settings.failUnder !== undefined ? { passThreshold: settings.failUnder } : {}),
    });
    return { outcome: { result }, cleanedUp };
  } catch (err) {
    return { outcome: { notGraded: describeNotGraded(err, locale) }, cleanedUp: Promise.resolve() };
  }
}

/**
 * A rubric inside the graded folder is one the student can edit (and so grade themselves by).
 * Allowed, since the instructor chose the path, but said out loud.
 */
function warnIfRubricInsideSubmission(settings: ActionSettings, logger: Logger): void {
  if (!settings.localDir || !path.isAbsolute(settings.rubric)) return;
  const relative = path.relative(settings.localDir, settings.rubric);
  if (!relative.startsWith('..') && !path.isAbsolute(relative)) {
    logger.warn(`the rubric ${relative} lies inside the graded folder: whoever can push to it can change the rubric.`);
  }
}

/** Where the graded folder sits in the repository (annotation paths start there), or undefined when it is not in it. */
function annotationPrefix(settings: ActionSettings, env: NodeJS.ProcessEnv): string | undefined {
  if (!settings.localDir || settings.ref) return undefined;
  const relative = path.relative(inputEnvironment(env).workspace, settings.localDir);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  return relative.split(path.sep).join('/');
}
