/**
 * Posting to GitHub for one run: the check run and the pull request comment. Nothing
 * here throws: a write that fails becomes a warning for the log and the job summary,
 * because a report that could not be posted must never fail the student's job.
 */
import type { Logger } from '../basics/logger.js';
import { errorMessage } from '../basics/errors.js';
import { completeCheckRun, startCheckRun } from './check-run.js';
import { commentAuthor, upsertReportComment } from './comment.js';
import type { CheckAnnotation, CheckConclusion, GitHubApi } from './github-api.js';
import type { RunContext } from './github-context.js';
import { writeFailureWarning, type WriteKind } from './write-failure.js';

export interface CheckCompletion {
  conclusion: CheckConclusion;
  title: string;
  summary: string;
  annotations?: readonly CheckAnnotation[];
}

export class Publisher {
  readonly warnings: string[] = [];
  private checkRunId?: number;
  private appSlug?: string;

  constructor(
    private readonly api: GitHubApi,
    private readonly context: RunContext,
    private readonly logger: Logger,
  ) {}

  /** Creates the in-progress check run; returns its id, or undefined when it could not be created. */
  async startCheck(runId: string): Promise<number | undefined> {
    if (!this.context.checkSha) return undefined;
    try {
      const created = await startCheckRun(this.api, this.context.checkSha, {
        runId,
        ...(this.context.runUrl ? { runUrl: this.context.runUrl } : {}),
      });
      this.checkRunId = created.id;
      this.appSlug = created.appSlug;
      return created.id;
    } catch (err) {
      this.fail(err, 'check run');
      return undefined;
    }
  }

  /** Returns whether the check run now shows its conclusion. */
  async finishCheck(completion: CheckCompletion): Promise<boolean> {
    if (this.checkRunId === undefined) return false;
    try {
      await completeCheckRun(this.api, this.checkRunId, completion.conclusion, completion);
      this.logger.info(`check run ${this.checkRunId} completed: ${completion.conclusion}`);
      return true;
    } catch (err) {
      this.fail(err, 'check run');
      return false;
    }
  }

  async comment(body: string): Promise<void> {
    const pr = this.context.pullRequest;
    if (!pr) return;
    try {
      const author = commentAuthor(await this.api.authenticatedLogin(), this.appSlug);
      const { action, id } = await upsertReportComment(this.api, pr.number, body, author);
      this.logger.info(`${action} report comment ${id} on pull request #${pr.number}`);
    } catch (err) {
      this.fail(err, 'comment');
    }
  }

  private fail(err: unknown, what: WriteKind): void {
    const warning = writeFailureWarning(err, what, this.context.pullRequest?.fromFork ?? false);
    this.logger.debug(`${what} write failed: ${errorMessage(err)}`);
    this.logger.warn(warning);
    if (!this.warnings.includes(warning)) this.warnings.push(warning);
  }
}
