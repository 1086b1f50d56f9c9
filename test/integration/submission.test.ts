import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/basics/errors.js';
import { openSubmission } from '../../src/workspace/submission.js';

let repo: string;
const commits: Record<string, string> = {};

function git(...args: string[]): string {
  return execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: repo, encoding: 'utf8' }).trim();
}

beforeAll(() => {
  repo = mkdtempSync(path.join(os.tmpdir(), 'grader-repo-'));
  git('init', '-q', '-b', 'main');
  writeFileSync(path.join(repo, 'Dockerfile'), 'FROM busybox:1.35\n');
  git('add', '.');
  git('commit', '-q', '-m', 'first');
  commits.first = git('rev-parse', 'HEAD');
  git('tag', 'v1');
  writeFileSync(path.join(repo, 'Dockerfile'), 'FROM busybox:1.35\nCMD ["echo", "second"]\n');
  git('commit', '-q', '-am', 'second');
  commits.second = git('rev-parse', 'HEAD');
  git('checkout', '-q', '-b', 'feature');
  writeFileSync(path.join(repo, 'feature.txt'), 'feature\n');
  git('add', '.');
  git('commit', '-q', '-m', 'feature');
  commits.feature = git('rev-parse', 'HEAD');
  git('checkout', '-q', 'main');
});

afterAll(() => rmSync(repo, { recursive: true, force: true }));

describe('openSubmission', () => {
  it('uses a local folder as it is and records its commit', async () => {
    const submission = await openSubmission(repo);
    expect(submission.dir).toBe(repo);
    expect((await submission.revision).commit).toBe(commits.second);
    await submission.dispose();
    expect(existsSync(repo)).toBe(true);
  });

  it.each([
    ['a branch', 'feature', 'feature'],
    ['a tag', 'v1', 'first'],
    ['a commit', 'FIRST_SHA', 'first'],
  ])('clones a file:// URL at %s into a temporary folder removed afterwards', async (_what, ref, expected) => {
    const wanted = ref === 'FIRST_SHA' ? commits.first! : ref;
    const submission = await openSubmission(`file://${repo}`, { ref: wanted });
    expect(submission.dir).not.toBe(repo);
    expect((await submission.revision).commit).toBe(commits[expected]);
    expect(submission.ref).toBe(wanted);
    const dockerfile = readFileSync(path.join(submission.dir, 'Dockerfile'), 'utf8');
    expect(dockerfile.includes('second')).toBe(expected !== 'first');
    await submission.dispose();
    expect(existsSync(submission.dir)).toBe(false);
  });

  it('clones the default branch when no ref is given, shallowly', async () => {
    const submission = await openSubmission(`file://${repo}`);
    expect((await submission.revision).commit).toBe(commits.second);
    const count = execFileSync('git', ['rev-list', '--count', 'HEAD'], { cwd: submission.dir, encoding: 'utf8' }).trim();
    expect(count).toBe('1');
    await submission.dispose();
  });

  it('clones a local path when a ref is given', async () => {
    const submission = await openSubmission(repo, { ref: 'feature' });
    expect((await submission.revision).commit).toBe(commits.feature);
    expect(existsSync(path.join(submission.dir, 'feature.txt'))).toBe(true);
    await submission.dispose();
  });

  it('says clearly when the ref does not exist, and leaves nothing behind', async () => {
    const before = new Set(listTemp());
    await expect(openSubmission(`file://${repo}`, { ref: 'no-such-branch' })).rejects.toThrow(UserError);
    await expect(openSubmission(`file://${repo}`, { ref: 'no-such-branch' })).rejects.toThrow(/could not clone .* at no-such-branch/);
    expect(listTemp().filter((d) => !before.has(d))).toEqual([]);
  });

  it('says clearly when the folder does not exist', async () => {
    await expect(openSubmission(path.join(repo, 'missing'))).rejects.toThrow(/submission folder not found/);
  });
});

function listTemp(): string[] {
  return execFileSync('ls', [os.tmpdir()], { encoding: 'utf8' })
    .split('\n')
    .filter((n) => n.startsWith('grader-submission-'));
}
