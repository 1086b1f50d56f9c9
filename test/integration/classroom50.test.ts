/**
 * grader as a Classroom 50 autograder: the shipped examples/classroom50/autograder.py, run the
 * way Classroom 50's runner runs it (in the student's checkout, with the runner's environment),
 * writes a result.json that keeps the classroom50/result/v1 contract.
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { git } from '../helpers/git-repos.js';

const root = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);
const dirs: string[] = [];

afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('Classroom 50 autograder example', () => {
  it('grades the checkout and writes result.json as the runner expects', async () => {
    const checkout = await mkdtemp(path.join(tmpdir(), 'grader-classroom50-'));
    dirs.push(checkout);
    await cp(path.join(root, 'examples/web-app'), checkout, { recursive: true });
    git(checkout, ['init', '-q', '-b', 'main']);
    git(checkout, ['add', '.']);
    const env = { ...process.env, GIT_COMMITTER_DATE: '2026-11-20T10:00:00+09:00', GIT_AUTHOR_DATE: '2026-11-20T10:00:00+09:00' };
    await run('git', ['-c', 'user.email=s@example.com', '-c', 'user.name=s', 'commit', '-q', '-m', 'hw'], { cwd: checkout, env });

    const runner = {
      CLASSROOM: 'docker-101',
      ASSIGNMENT: 'hw1',
      SUBMISSION_TAG: 'submit/2026-11-20T01-00-00Z-abc1234',
      COMMIT_URL: 'https://github.com/docker-101/hw1-kim/commit/abc1234',
      RELEASE_URL: 'https://github.com/docker-101/hw1-kim/releases/tag/submit%2F2026-11-20T01-00-00Z-abc1234',
      GRADER: `${process.execPath} ${path.join(root, 'dist/cli.js')}`,
      NO_COLOR: '1',
    };
    await run('python3', [path.join(root, 'examples/classroom50/autograder.py')], { cwd: checkout, env: { ...process.env, ...runner } });

    const result = JSON.parse(await readFile(path.join(checkout, 'result.json'), 'utf8')) as Record<string, unknown>;
    expect(result).toMatchObject({
      schema: 'classroom50/result/v1',
      classroom: 'docker-101',
      assignment: 'hw1',
      submission: runner.SUBMISSION_TAG,
      commit: runner.COMMIT_URL,
      release: runner.RELEASE_URL,
      review: runner.COMMIT_URL,
      // The submission instant is the graded commit's committer date, in UTC.
      datetime: '2026-11-20T01:00:00Z',
    });
    const tests = result.tests as { 'test-name': string; passed: boolean; score: number; 'max-score': number }[];
    expect(tests.length).toBeGreaterThan(5);
    for (const test of tests) {
      expect(Object.keys(test).sort()).toEqual(['max-score', 'passed', 'score', 'test-name']);
      expect(Number.isInteger(test.score) && Number.isInteger(test['max-score'])).toBe(true);
      expect(test.passed).toBe(test.score === test['max-score']);
    }
    expect(result.score).toBe(tests.reduce((sum, test) => sum + test.score, 0));
    expect(result['max-score']).toBe(100);
    expect(await readFile(path.join(checkout, 'release-body.md'), 'utf8')).toContain('Dockerfile homework');
  });
});
