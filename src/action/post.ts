/**
 * The post step: runs after the job's steps, even when the job was cancelled. Removes
 * whatever the main step's grading left in the engine, sweeps stale leftovers of earlier
 * runs, and closes a check run the main step never got to complete.
 * Nothing here fails the job.
 */
import * as core from '@actions/core';
import { EngineUnavailableError, errorMessage } from '../basics/errors.js';
import { DEFAULT_LOCALE, isLocale, translator } from '../basics/i18n/catalogue.js';
import { createDockerEngine } from '../engine/docker-engine.js';
import { STALE_AFTER_MS } from '../engine/engine.js';
import { createGitHubApi } from './github-api.js';
import { readRunContext } from './github-context.js';
import { inputEnvironment, parseSettings, readInputs } from './inputs.js';
import { STATE } from './state.js';

export async function post(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  await cleanUpEngine(core.getState(STATE.runId));
  const checkRunId = Number(core.getState(STATE.checkRunId));
  if (checkRunId > 0 && core.getState(STATE.checkRunDone) !== 'true') await closeCheckRun(checkRunId, env);
}

async function cleanUpEngine(runId: string): Promise<void> {
  if (!runId) return;
  const engine = createDockerEngine();
  try {
    await engine.cleanup(runId);
    const swept = await engine.sweepStale(STALE_AFTER_MS);
    core.info(`grader: cleaned up run ${runId}${swept > 0 ? `, and ${swept} stale leftovers of earlier runs` : ''}`);
  } catch (err) {
    // No engine, nothing it could have left behind.
    if (err instanceof EngineUnavailableError) core.info(`grader: no engine to clean up (${errorMessage(err)})`);
    else core.warning(`grader: clean-up of run ${runId} failed: ${errorMessage(err)}`);
  }
}

async function closeCheckRun(checkRunId: number, env: NodeJS.ProcessEnv): Promise<void> {
  try {
    const { token } = parseSettings(readInputs(), inputEnvironment(env));
    const context = readRunContext(env);
    const saved = core.getState(STATE.locale);
    const tr = translator(isLocale(saved) ? saved : DEFAULT_LOCALE);
    const api = createGitHubApi({ token, owner: context.owner, repo: context.repo, baseUrl: context.apiUrl });
    await api.updateCheckRun(checkRunId, {
      status: 'completed',
      conclusion: 'cancelled',
      completed_at: new Date().toISOString(),
      output: { title: tr('report.check.cancelled_title'), summary: tr('report.check.cancelled_summary') },
    });
    core.info(`grader: check run ${checkRunId} marked cancelled`);
  } catch (err) {
    core.warning(`grader: could not close check run ${checkRunId}: ${errorMessage(err)}`);
  }
}
