import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { annotationsFor, completeCheckRun, conclusionFor, inBatches, startCheckRun } from '../../src/action/check-run.js';
import { createGitHubApi } from '../../src/action/github-api.js';
import type { CheckResult, GradeResult } from '../../src/basics/results.js';
import { FakeGitHub } from '../helpers/fake-github.js';

function check(overrides: Partial<CheckResult>): CheckResult {
  return {
    id: 'c',
    name: 'a check',
    kind: 'dockerfile',
    status: 'passed',
    points: 5,
    max_points: 5,
    message: 'ok',
    duration_ms: 1,
    ...overrides,
  };
}

function result(overrides: Partial<GradeResult>): GradeResult {
  return {
    rubric: { title: 'Dockerfile homework', source: 'web' },
    locale: 'en',
    submission: { source: '.' },
    status: 'graded',
    score: 50,
    max_score: 100,
    percent: 50,
    pass_threshold: 60,
    passed: false,
    duration_ms: 10,
    checks: [],
    ...overrides,
  };
}

describe('conclusionFor', () => {
  it('is success at or above the pass mark, failure below, neutral when ungradable', () => {
    expect(conclusionFor(result({ passed: true, percent: 60 }))).toBe('success');
    expect(conclusionFor(result({ passed: false }))).toBe('failure');
    expect(conclusionFor(result({ status: 'ungradable', score: null, percent: null, passed: false, reason: 'engine down' }))).toBe(
      'neutral',
    );
  });
});

describe('annotationsFor', () => {
  const graded = result({
    checks: [
      check({
        id: 'pinned',
        name: 'Pinned base image',
        status: 'failed',
        points: 0,
        message: 'FROM uses :latest',
        feedback: 'Pin a version.',
        location: { path: 'Dockerfile', line: 1 },
        locations: [
          { path: 'Dockerfile', line: 1 },
          { path: 'Dockerfile', line: 9, endLine: 11 },
        ],
      }),
      check({
        id: 'advice',
        name: 'Advice',
        status: 'failed',
        points: 0,
        max_points: 0,
        message: 'consider HEALTHCHECK',
        location: { path: 'Dockerfile', line: 3 },
      }),
      check({ id: 'ok', status: 'passed', location: { path: 'Dockerfile', line: 4 } }),
      check({ id: 'secret', status: 'failed', points: 0, hidden: true, location: { path: 'Dockerfile', line: 5 } }),
      check({ id: 'http', kind: 'http', status: 'failed', points: 0, message: 'got 404' }),
    ],
  });

  it('annotates every place a failed, visible check points at', () => {
    expect(annotationsFor(graded)).toEqual([
      {
        path: 'Dockerfile',
        start_line: 1,
        end_line: 1,
        annotation_level: 'failure',
        message: 'FROM uses :latest\n\nPin a version.',
        title: 'Pinned base image',
      },
      {
        path: 'Dockerfile',
        start_line: 9,
        end_line: 11,
        annotation_level: 'failure',
        message: 'FROM uses :latest\n\nPin a version.',
        title: 'Pinned base image',
      },
      { path: 'Dockerfile', start_line: 3, end_line: 3, annotation_level: 'warning', message: 'consider HEALTHCHECK', title: 'Advice' },
    ]);
  });

  it('makes paths relative to the repository when the submission is a subfolder', () => {
    expect(annotationsFor(graded, 'homework/week1').map((a) => a.path)).toEqual([
      'homework/week1/Dockerfile',
      'homework/week1/Dockerfile',
      'homework/week1/Dockerfile',
    ]);
  });
});

describe('inBatches', () => {
  it('cuts a list into requests of at most 50', () => {
    const items = Array.from({ length: 120 }, (_, i) => i);
    expect(inBatches(items).map((b) => b.length)).toEqual([50, 50, 20]);
    expect(inBatches(items).flat()).toEqual(items);
    expect(inBatches([])).toEqual([]);
    expect(inBatches(items.slice(0, 50))).toHaveLength(1);
  });
});

describe('check run against the GitHub REST description', () => {
  let github: FakeGitHub;
  beforeEach(async () => {
    github = await FakeGitHub.start({ owner: 'course', repo: 'hw' });
  });
  afterEach(async () => {
    expect(github.problems).toEqual([]);
    await github.close();
  });

  it('creates the run in progress, then completes it with every annotation, 50 per request', async () => {
    const api = createGitHubApi({ token: 'ghs_test', owner: 'course', repo: 'hw', baseUrl: github.url });
    const sha = 'ec26c3e57ca3a959ca5aad62de7213c562f8c821';
    const { id, appSlug } = await startCheckRun(api, sha, { runId: 'abc123', runUrl: 'https://github.com/course/hw/actions/runs/1' });
    expect(appSlug).toBe('github-actions');
    expect(github.checkRuns.get(id)).toMatchObject({ head_sha: sha, status: 'in_progress', name: 'grader', external_id: 'abc123' });

    const annotations = Array.from({ length: 120 }, (_, i) => ({
      path: 'Dockerfile',
      start_line: i + 1,
      end_line: i + 1,
      annotation_level: 'failure' as const,
      message: `line ${i + 1}`,
    }));
    await completeCheckRun(api, id, 'failure', { title: 'grader: 50/100', summary: '## report', annotations });

    const run = github.checkRuns.get(id)!;
    expect(run).toMatchObject({
      status: 'completed',
      conclusion: 'failure',
      output: { title: 'grader: 50/100', summary: '## report' },
      updates: 3,
    });
    expect(run.annotations.map((a) => a.start_line)).toEqual(annotations.map((a) => a.start_line));
    const patches = github.requests.filter((r) => r.operationId === 'checks/update');
    expect(patches.map((r) => (r.body as { output: { annotations: unknown[] } }).output.annotations.length)).toEqual([50, 50, 20]);
    expect(patches.map((r) => (r.body as { conclusion?: string }).conclusion)).toEqual(['failure', undefined, undefined]);
  });

  it('is checked: the fake refuses what GitHub would (e.g. 51 annotations, an unknown level)', async () => {
    const api = createGitHubApi({ token: 'ghs_test', owner: 'course', repo: 'hw', baseUrl: github.url });
    const { id } = await startCheckRun(api, 'abc', { runId: 'r' });
    const tooMany = Array.from({ length: 51 }, () => ({
      path: 'Dockerfile',
      start_line: 1,
      end_line: 1,
      annotation_level: 'failure' as const,
      message: 'x',
    }));
    await expect(api.updateCheckRun(id, { output: { title: 't', summary: 's', annotations: tooMany } })).rejects.toMatchObject({
      status: 422,
    });
    await expect(api.updateCheckRun(id, { status: 'completed', output: { title: 't', summary: 's' } })).rejects.toMatchObject({
      status: 422,
    });
    await expect(api.updateCheckRun(id, { output: { title: 't', summary: 'x'.repeat(65_536) } })).rejects.toMatchObject({ status: 422 });
    expect(github.problems).toHaveLength(3);
    expect(github.problems[0]).toMatch(/annotations: must NOT have more than 50 items/);
    expect(github.problems[1]).toMatch(/conclusion/);
    expect(github.problems[2]).toMatch(/summary: must NOT have more than 65535 characters/);
    github.problems.length = 0;
  });
});
