/**
 * The handful of GitHub REST calls the action makes, behind a small interface.
 * `createGitHubApi()` implements it with @actions/github's Octokit; the posting
 * logic (comment.ts, check-run.ts) only sees the interface.
 */
import { getOctokit } from '@actions/github';

export interface IssueComment {
  id: number;
  body: string;
  user: { login: string; type: string } | null;
}

export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: 'notice' | 'warning' | 'failure';
  message: string;
  title?: string;
}

export interface CheckOutput {
  title: string;
  summary: string;
  annotations?: CheckAnnotation[];
}

export type CheckConclusion = 'success' | 'failure' | 'neutral' | 'cancelled';

export interface CheckRunUpdate {
  status?: 'in_progress' | 'completed';
  conclusion?: CheckConclusion;
  completed_at?: string;
  output?: CheckOutput;
}

export interface GitHubApi {
  /** The login behind the token, or undefined when the API will not say (installation tokens). */
  authenticatedLogin(): Promise<string | undefined>;
  listIssueComments(issueNumber: number): Promise<IssueComment[]>;
  createIssueComment(issueNumber: number, body: string): Promise<IssueComment>;
  updateIssueComment(commentId: number, body: string): Promise<IssueComment>;
  /** Returns the check run's id and the slug of the app the token belongs to. */
  createCheckRun(request: {
    name: string;
    head_sha: string;
    details_url?: string;
    external_id?: string;
  }): Promise<{ id: number; appSlug?: string }>;
  updateCheckRun(checkRunId: number, update: CheckRunUpdate): Promise<void>;
}

export function createGitHubApi(options: { token: string; owner: string; repo: string; baseUrl: string }): GitHubApi {
  // baseUrl is passed explicitly: @actions/github reads GITHUB_API_URL once, when first imported.
  const octokit = getOctokit(options.token, { baseUrl: options.baseUrl });
  const repo = { owner: options.owner, repo: options.repo };
  return {
    async authenticatedLogin() {
      try {
        return (await octokit.rest.users.getAuthenticated()).data.login;
      } catch (err) {
        if (httpStatus(err) === 401 || httpStatus(err) === 403 || httpStatus(err) === 404) return undefined;
        throw err;
      }
    },
    async listIssueComments(issueNumber) {
      const comments = await octokit.paginate(octokit.rest.issues.listComments, { ...repo, issue_number: issueNumber, per_page: 100 });
      return comments.map(toComment);
    },
    async createIssueComment(issueNumber, body) {
      return toComment((await octokit.rest.issues.createComment({ ...repo, issue_number: issueNumber, body })).data);
    },
    async updateIssueComment(commentId, body) {
      return toComment((await octokit.rest.issues.updateComment({ ...repo, comment_id: commentId, body })).data);
    },
    async createCheckRun(request) {
      const { data } = await octokit.rest.checks.create({
        ...repo,
        ...request,
        status: 'in_progress',
        started_at: new Date().toISOString(),
      });
      return { id: data.id, ...(data.app?.slug ? { appSlug: data.app.slug } : {}) };
    },
    async updateCheckRun(checkRunId, update) {
      await octokit.rest.checks.update({ ...repo, check_run_id: checkRunId, ...update });
    },
  };
}

function toComment(data: { id: number; body?: string; user: { login: string; type: string } | null }): IssueComment {
  return { id: data.id, body: data.body ?? '', user: data.user ? { login: data.user.login, type: data.user.type } : null };
}

/** The HTTP status of a failed API call (Octokit's RequestError), if it has one. */
export function httpStatus(err: unknown): number | undefined {
  if (err && typeof err === 'object' && 'status' in err && typeof err.status === 'number') return err.status;
  return undefined;
}
