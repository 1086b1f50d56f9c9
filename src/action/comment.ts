/**
 * One report comment per pull request: found again by its hidden marker among the
 * comments the grader's own identity wrote, updated in place, created otherwise.
 */
import type { GitHubApi, IssueComment } from './github-api.js';

/** First line of every report comment; the markdown renderer keeps student text from ever containing it. */
export const REPORT_MARKER = '<!-- grader:report -->';

/** GitHub's limit on a comment body. */
export const MAX_COMMENT_LENGTH = 65_536;

/** Who the grader's comments are written by. */
export interface CommentAuthor {
  login: string;
  bot: boolean;
}

/** The author GITHUB_TOKEN writes as. */
export const ACTIONS_BOT: CommentAuthor = { login: 'github-actions[bot]', bot: true };

/**
 * Installation tokens cannot ask `GET /user` who they are: a personal token names its user;
 * otherwise the app that created the check run names the bot, and GITHUB_TOKEN is the fallback.
 */
export function commentAuthor(userLogin: string | undefined, appSlug: string | undefined): CommentAuthor {
  if (userLogin) return { login: userLogin, bot: false };
  if (appSlug) return { login: `${appSlug}[bot]`, bot: true };
  return ACTIONS_BOT;
}

export function isOwnReport(comment: IssueComment, author: CommentAuthor, marker = REPORT_MARKER): boolean {
  if (!comment.user || comment.user.login !== author.login) return false;
  if (author.bot && comment.user.type !== 'Bot') return false;
  return comment.body.trimStart().startsWith(marker);
}

/** The most recent of our report comments, if any (older duplicates from racing runs are left alone). */
export function findOwnReport(comments: readonly IssueComment[], author: CommentAuthor, marker = REPORT_MARKER): IssueComment | undefined {
  return comments.filter((comment) => isOwnReport(comment, author, marker)).at(-1);
}

export async function upsertReportComment(
  api: GitHubApi,
  issueNumber: number,
  body: string,
  author: CommentAuthor,
): Promise<{ action: 'created' | 'updated'; id: number }> {
  if (body.length > MAX_COMMENT_LENGTH) throw new Error(`report comment is ${body.length} characters, over GitHub's ${MAX_COMMENT_LENGTH}`);
  const existing = findOwnReport(await api.listIssueComments(issueNumber), author);
  if (existing) {
    await api.updateIssueComment(existing.id, body);
    return { action: 'updated', id: existing.id };
  }
  const created = await api.createIssueComment(issueNumber, body);
  return { action: 'created', id: created.id };
}
