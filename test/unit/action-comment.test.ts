import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACTIONS_BOT, REPORT_MARKER, commentAuthor, findOwnReport, isOwnReport, upsertReportComment } from '../../src/action/comment.js';
import { createGitHubApi, type IssueComment } from '../../src/action/github-api.js';
import { FakeGitHub } from '../helpers/fake-github.js';

const bot = { login: 'github-actions[bot]', type: 'Bot' };
const comment = (id: number, body: string, user: IssueComment['user'] = bot): IssueComment => ({ id, body, user });

describe('commentAuthor', () => {
  it('is the token user for personal tokens, the app bot otherwise, GITHUB_TOKEN by default', () => {
    expect(commentAuthor('instructor', 'github-actions')).toEqual({ login: 'instructor', bot: false });
    expect(commentAuthor(undefined, 'classroom-grader')).toEqual({ login: 'classroom-grader[bot]', bot: true });
    expect(commentAuthor(undefined, undefined)).toEqual(ACTIONS_BOT);
  });
});

describe('isOwnReport / findOwnReport', () => {
  it('needs the marker first and our identity', () => {
    expect(isOwnReport(comment(1, `${REPORT_MARKER}\n## grader`), ACTIONS_BOT)).toBe(true);
    expect(isOwnReport(comment(2, `\n${REPORT_MARKER}\n## grader`), ACTIONS_BOT)).toBe(true);
    expect(isOwnReport(comment(3, 'LGTM'), ACTIONS_BOT)).toBe(false);
    // A student quoting the marker, or another bot's comment, is not ours.
    expect(isOwnReport(comment(4, `${REPORT_MARKER}\nfake 100/100`, { login: 'student', type: 'User' }), ACTIONS_BOT)).toBe(false);
    expect(isOwnReport(comment(5, `${REPORT_MARKER}`, { login: 'dependabot[bot]', type: 'Bot' }), ACTIONS_BOT)).toBe(false);
    expect(isOwnReport(comment(6, `text\n${REPORT_MARKER}`), ACTIONS_BOT)).toBe(false);
    expect(isOwnReport(comment(7, REPORT_MARKER, null), ACTIONS_BOT)).toBe(false);
    // A user named like the bot is not the bot.
    expect(isOwnReport(comment(8, REPORT_MARKER, { login: 'github-actions[bot]', type: 'User' }), ACTIONS_BOT)).toBe(false);
  });

  it('picks the latest of our reports', () => {
    const comments = [
      comment(1, `${REPORT_MARKER}\nold`),
      comment(2, 'hi', { login: 'student', type: 'User' }),
      comment(3, `${REPORT_MARKER}\nnew`),
    ];
    expect(findOwnReport(comments, ACTIONS_BOT)?.id).toBe(3);
    expect(findOwnReport([], ACTIONS_BOT)).toBeUndefined();
  });
});

describe('upsertReportComment against the GitHub REST description', () => {
  let github: FakeGitHub;
  beforeEach(async () => {
    github = await FakeGitHub.start({ owner: 'course', repo: 'hw' });
  });
  afterEach(async () => {
    expect(github.problems).toEqual([]);
    await github.close();
  });

  it('creates one comment, then updates it in place, even past the first page of comments', async () => {
    const api = createGitHubApi({ token: 'ghs_test', owner: 'course', repo: 'hw', baseUrl: github.url });
    const first = await upsertReportComment(api, 2, `${REPORT_MARKER}\nfirst`, ACTIONS_BOT);
    expect(first.action).toBe('created');
    for (let i = 0; i < 130; i++) github.addComment(2, `chatter ${i}`, { login: 'student', id: 7, type: 'User' });
    github.addComment(2, `${REPORT_MARKER}\nforged by the student`, { login: 'student', id: 7, type: 'User' });

    const second = await upsertReportComment(api, 2, `${REPORT_MARKER}\nsecond`, ACTIONS_BOT);
    expect(second).toEqual({ action: 'updated', id: first.id });
    const ours = github.commentsOn(2).filter((c) => c.user.login === 'github-actions[bot]');
    expect(ours.map((c) => c.body)).toEqual([`${REPORT_MARKER}\nsecond`]);
    expect(github.commentsOn(2).find((c) => c.body.includes('forged'))?.body).toBe(`${REPORT_MARKER}\nforged by the student`);
    const listPages = github.requests.filter((r) => r.operationId === 'issues/list-comments').map((r) => r.query.page ?? '1');
    expect(listPages).toEqual(['1', '1', '2']);
  });

  it('refuses a body over GitHub’s limit before sending it', async () => {
    const api = createGitHubApi({ token: 'ghs_test', owner: 'course', repo: 'hw', baseUrl: github.url });
    await expect(upsertReportComment(api, 2, 'x'.repeat(65_537), ACTIONS_BOT)).rejects.toThrow(/65537 characters/);
    expect(github.requests).toEqual([]);
  });
});
