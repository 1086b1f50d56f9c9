import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runContextFrom } from '../../src/action/github-context.js';

// Real webhook payloads (see test/fixtures/github/README.md).
const pullRequest = JSON.parse(readFileSync(new URL('../fixtures/github/pull_request.opened.json', import.meta.url), 'utf8')) as {
  number: number;
  pull_request: { head: { sha: string; repo: { full_name: string; fork: boolean } } };
};
const push = JSON.parse(readFileSync(new URL('../fixtures/github/push.json', import.meta.url), 'utf8')) as { after: string };

const env = {
  GITHUB_REPOSITORY: 'Codertocat/Hello-World',
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_API_URL: 'http://127.0.0.1:9/',
  GITHUB_RUN_ID: '77',
};

describe('runContextFrom', () => {
  it('puts the check run on the pull request head, not on the merge commit', () => {
    const merge = '0000000000000000000000000000000000000001';
    const context = runContextFrom({ ...env, GITHUB_EVENT_NAME: 'pull_request', GITHUB_SHA: merge }, pullRequest);
    expect(context.checkSha).toBe(pullRequest.pull_request.head.sha);
    expect(context.checkSha).not.toBe(merge);
    expect(context.pullRequest).toEqual({ number: pullRequest.number, fromFork: false });
    expect(context).toMatchObject({ owner: 'Codertocat', repo: 'Hello-World', apiUrl: 'http://127.0.0.1:9' });
    expect(context.runUrl).toBe('https://github.com/Codertocat/Hello-World/actions/runs/77');
  });

  it('knows a pull request from a fork, including a deleted fork', () => {
    const fork = structuredClone(pullRequest);
    fork.pull_request.head.repo.full_name = 'student/Hello-World';
    fork.pull_request.head.repo.fork = true;
    expect(runContextFrom({ ...env, GITHUB_EVENT_NAME: 'pull_request' }, fork).pullRequest?.fromFork).toBe(true);
    const deleted = structuredClone(pullRequest) as unknown as { pull_request: { head: { repo: null } } };
    deleted.pull_request.head.repo = null;
    expect(runContextFrom({ ...env, GITHUB_EVENT_NAME: 'pull_request' }, deleted).pullRequest?.fromFork).toBe(true);
  });

  it('puts the check run on the pushed commit and has no pull request on push', () => {
    const context = runContextFrom({ ...env, GITHUB_EVENT_NAME: 'push', GITHUB_SHA: push.after }, push);
    expect(context.checkSha).toBe(push.after);
    expect(context.pullRequest).toBeUndefined();
  });

  it('has nowhere to post for other events', () => {
    const context = runContextFrom({ ...env, GITHUB_EVENT_NAME: 'workflow_dispatch', GITHUB_SHA: push.after }, {});
    expect(context.checkSha).toBeUndefined();
    expect(context.pullRequest).toBeUndefined();
  });
});
