/** Turning a failed write to GitHub into a warning a student or instructor can act on. */
import { errorMessage } from '../basics/errors.js';
import { firstLine } from '../basics/sanitize.js';
import { httpStatus } from './github-api.js';

export type WriteKind = 'comment' | 'check run';

const PERMISSION: Record<WriteKind, string> = { comment: 'pull-requests', 'check run': 'checks' };

export function writeFailureWarning(err: unknown, what: WriteKind, fromFork: boolean): string {
  const status = httpStatus(err);
  const detail = firstLine(errorMessage(err));
  if (status === 403 && fromFork) {
    return (
      `this pull request comes from a fork: the token is read-only, so the grader could not post its ${what} (${detail}). ` +
      'The report is in this job summary. To comment on pull requests from forks, use the two-workflow (workflow_run) setup described in the grader documentation.'
    );
  }
  if (status === 403 || status === 401) {
    return `the token may not write the ${what} (${detail}): give the job \`permissions: ${PERMISSION[what]}: write\`. The report is in this job summary.`;
  }
  return `could not post the ${what}: ${detail}. The report is in this job summary.`;
}
