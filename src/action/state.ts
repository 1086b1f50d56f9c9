/**
 * What the main step hands the post step. The runner turns core.saveState() into
 * STATE_* variables for the post step, which runs even when the job is cancelled.
 */
import * as core from '@actions/core';

export const STATE = {
  isPost: 'isPost',
  runId: 'runId',
  checkRunId: 'checkRunId',
  checkRunDone: 'checkRunDone',
  /** The language of the reports, for the post step's words. */
  locale: 'locale',
} as const;

export function isPostStep(): boolean {
  return core.getState(STATE.isPost) === 'true';
}
