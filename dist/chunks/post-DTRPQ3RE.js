import { createRequire as __graderCreateRequire } from 'node:module';
import { fileURLToPath as __graderFileURLToPath } from 'node:url';
import { dirname as __graderDirname } from 'node:path';
const require = __graderCreateRequire(import.meta.url);
const __filename = __graderFileURLToPath(import.meta.url);
const __dirname = __graderDirname(__filename);
import {
  DEFAULT_LOCALE,
  EngineUnavailableError,
  STALE_AFTER_MS,
  createDockerEngine,
  createGitHubApi,
  errorMessage,
  inputEnvironment,
  isLocale,
  parseSettings,
  readInputs,
  readRunContext,
  translator
} from "./chunk-53C5I5XB.js";
import {
  STATE,
  getState,
  info,
  warning
} from "./chunk-3EYALNUC.js";
import "./chunk-LGV4N2VW.js";

// src/action/post.ts
async function post(env = process.env) {
  await cleanUpEngine(getState(STATE.runId));
  const checkRunId = Number(getState(STATE.checkRunId));
  if (checkRunId > 0 && getState(STATE.checkRunDone) !== "true") await closeCheckRun(checkRunId, env);
}
async function cleanUpEngine(runId) {
  if (!runId) return;
  const engine = createDockerEngine();
  try {
    await engine.cleanup(runId);
    const swept = await engine.sweepStale(STALE_AFTER_MS);
    info(`grader: cleaned up run ${runId}${swept > 0 ? `, and ${swept} stale leftovers of earlier runs` : ""}`);
  } catch (err) {
    if (err instanceof EngineUnavailableError) info(`grader: no engine to clean up (${errorMessage(err)})`);
    else warning(`grader: clean-up of run ${runId} failed: ${errorMessage(err)}`);
  }
}
async function closeCheckRun(checkRunId, env) {
  try {
    const { token } = parseSettings(readInputs(), inputEnvironment(env));
    const context = readRunContext(env);
    const saved = getState(STATE.locale);
    const tr = translator(isLocale(saved) ? saved : DEFAULT_LOCALE);
    const api = createGitHubApi({ token, owner: context.owner, repo: context.repo, baseUrl: context.apiUrl });
    await api.updateCheckRun(checkRunId, {
      status: "completed",
      conclusion: "cancelled",
      completed_at: (/* @__PURE__ */ new Date()).toISOString(),
      output: { title: tr("report.check.cancelled_title"), summary: tr("report.check.cancelled_summary") }
    });
    info(`grader: check run ${checkRunId} marked cancelled`);
  } catch (err) {
    warning(`grader: could not close check run ${checkRunId}: ${errorMessage(err)}`);
  }
}
export {
  post
};
