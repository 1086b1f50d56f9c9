/**
 * The core's Logger inside a workflow: groups fold in the log, warnings become
 * annotations, debug lines show with step debugging on. Plain lines may carry student
 * text (file names, build output), so any that could read as a workflow command
 * are fenced with stop-commands.
 */
import * as core from '@actions/core';
import type { Logger } from '../basics/logger.js';
import { wrapForWorkflowLog } from '../basics/sanitize.js';

/** A line the runner could take for a command (`::set-output …`, legacy `##[…]`). */
const COMMAND_LIKE = /(?:^|[\r\n])\s*(?:::|##\[)/;

export function actionLogger(write: (text: string) => void = (text) => process.stdout.write(text)): Logger {
  return {
    info: (message) => write(toLog(message)),
    // core escapes newlines and `%` in command data, so student text here cannot start a command.
    warn: (message) => core.warning(message),
    debug: (message) => core.debug(message),
    group: (title, fn) => core.group(title, fn),
  };
}

/** Text as it may go to the job log: as it is, or between stop-commands when it could issue one. */
export function toLog(text: string): string {
  if (COMMAND_LIKE.test(text)) return wrapForWorkflowLog(text);
  return text.endsWith('\n') ? text : `${text}\n`;
}
