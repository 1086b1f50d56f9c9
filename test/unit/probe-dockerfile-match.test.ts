import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withLocale } from '../../src/basics/i18n/catalogue.js';
import { parseDockerfile } from '../../src/probes/dockerfile/model.js';
import { dockerfileProbe } from '../../src/probes/kinds/dockerfile.js';
import type { DockerfileSpec } from '../../src/rubric/model.js';
import { check, FakeEngine, fakeContext } from '../helpers/fake-engine.js';

/** The Dockerfile of the issue: `not_contains: sudo` under `any` passed it. */
const SUDO = ['FROM alpine:3.20', 'RUN echo hi', 'RUN sudo apt-get install -y curl'].join('\n');

let emptyRepo: string;
beforeAll(async () => {
  emptyRepo = await mkdtemp(path.join(os.tmpdir(), 'grader-match-'));
});
afterAll(async () => {
  await rm(emptyRepo, { recursive: true, force: true });
});

function run(spec: Omit<DockerfileSpec, 'kind'>, text: string | null = SUDO, repoDir = emptyRepo) {
  const ctx = fakeContext(new FakeEngine(), {
    repoDir,
    dockerfilePath: 'Dockerfile',
    ...(text !== null ? { dockerfile: parseDockerfile(text, 'Dockerfile') } : {}),
  });
  return dockerfileProbe.run(check<DockerfileSpec>({ kind: 'dockerfile', ...spec }), ctx);
}

const lines = (outcome: { locations?: { line: number }[] }) => outcome.locations?.map((l) => l.line);

describe('match on the issue example (RUN echo hi + RUN sudo apt-get install -y curl)', () => {
  it.each([
    ['any', { contains: 'sudo' }, 'passed'],
    ['all', { contains: 'sudo' }, 'failed'],
    ['none', { contains: 'sudo' }, 'failed'],
    ['any', { not_contains: 'sudo' }, 'passed'],
    ['all', { not_contains: 'sudo' }, 'failed'],
    ['none', { not_contains: 'sudo' }, 'failed'],
  ] as const)('match: %s with %o %s', async (match, args, status) => {
    expect((await run({ instruction: 'RUN', match, args })).status).toBe(status);
  });

  it('without match behaves as `any`, as before', async () => {
    expect((await run({ instruction: 'RUN', args: { not_contains: 'sudo' } })).status).toBe('passed');
  });

  it('none + contains fails naming the line that uses sudo, and only it', async () => {
    const outcome = await run({ instruction: 'RUN', match: 'none', args: { contains: 'sudo' } });
    expect(outcome.message).toBe('1 RUN instruction matches (line 3), and none should: contains "sudo"');
    expect(outcome.expected).toBe('no RUN whose arguments contains "sudo"');
    expect(outcome.actual).toBe('line 2: RUN echo hi\nline 3: RUN sudo apt-get install -y curl');
    expect(lines(outcome)).toEqual([3]);
  });

  it('all + not_contains fails naming each instruction that does not match', async () => {
    const outcome = await run({ instruction: 'RUN', match: 'all', args: { not_contains: 'sudo' } });
    expect(outcome.message).toBe('1 of 2 RUN instructions do not match: line 3 contains "sudo", which it must not');
    expect(lines(outcome)).toEqual([3]);
  });

  it('none + contains passes once sudo is gone, saying how many it looked at', async () => {
    const clean = SUDO.replace('sudo ', '');
    const outcome = await run({ instruction: 'RUN', match: 'none', args: { contains: 'sudo' } }, clean);
    expect(outcome).toMatchObject({ status: 'passed', message: 'no RUN matches (2 checked): contains "sudo"' });
  });
});

describe('match across several instructions', () => {
  const THREE = ['FROM alpine:3.20', 'RUN apk add --no-cache curl', 'RUN apk add --no-cache git', 'RUN apk add jq', 'CMD ["sh"]'].join(
    '\n',
  );

  it('all: passes only when every occurrence matches, pointing at each one that does not', async () => {
    const outcome = await run({ instruction: 'RUN', match: 'all', args: { contains: '--no-cache' } }, THREE);
    expect(outcome.status).toBe('failed');
    expect(lines(outcome)).toEqual([4]);
    const fixed = THREE.replace('apk add jq', 'apk add --no-cache jq');
    const passed = await run({ instruction: 'RUN', match: 'all', args: { contains: '--no-cache' } }, fixed);
    expect(passed).toMatchObject({ status: 'passed', message: 'every RUN matches (3 checked): contains "--no-cache"' });
    expect(lines(passed)).toEqual([2, 3, 4]);
  });

  it('all with equals compares each occurrence as a whole', async () => {
    const two = 'FROM a:1\nEXPOSE 8080\nEXPOSE 8080\n';
    expect((await run({ instruction: 'EXPOSE', match: 'all', args: { equals: '8080' } }, two)).status).toBe('passed');
    const other = await run({ instruction: 'EXPOSE', match: 'all', args: { equals: '8080' } }, `${two}EXPOSE 9229\n`);
    expect(other.status).toBe('failed');
    expect(lines(other)).toEqual([4]);
    expect((await run({ instruction: 'EXPOSE', match: 'any', args: { equals: '9229' } }, `${two}EXPOSE 9229\n`)).status).toBe('passed');
  });

  it('none with equals fails on every occurrence that is equal', async () => {
    const outcome = await run({ instruction: 'RUN', match: 'none', args: { equals: 'apk add jq' } }, THREE);
    expect(outcome.status).toBe('failed');
    expect(lines(outcome)).toEqual([4]);
  });

  it('keys combine on each occurrence before the quantifier: none of (contains apk and not_contains --no-cache)', async () => {
    const spec = { instruction: 'RUN', match: 'none', args: { contains: 'apk add', not_contains: '--no-cache' } } as const;
    const outcome = await run(spec, THREE);
    expect(outcome.status).toBe('failed');
    expect(lines(outcome)).toEqual([4]);
    expect((await run(spec, THREE.replace('apk add jq', 'apk add --no-cache jq'))).status).toBe('passed');
  });

  it('with no occurrence: any and all fail, none passes', async () => {
    const spec = (match: 'any' | 'all' | 'none') => ({ instruction: 'USER', match, args: { contains: 'root' } });
    expect(await run(spec('any'), THREE)).toMatchObject({ status: 'failed', message: 'the Dockerfile has no USER instruction' });
    expect(await run(spec('all'), THREE)).toMatchObject({ status: 'failed', message: 'the Dockerfile has no USER instruction' });
    expect(await run(spec('none'), THREE)).toMatchObject({ status: 'passed', message: 'the Dockerfile has no USER instruction' });
  });

  it('none without matcher keys forbids the instruction itself', async () => {
    const outcome = await run({ instruction: 'RUN', match: 'none' }, THREE);
    expect(outcome.message).toBe('the Dockerfile has 3 RUN instructions (lines 2, 3, 4), and should have none');
    expect(lines(outcome)).toEqual([2, 3, 4]);
    expect((await run({ instruction: 'ADD', match: 'none' }, THREE)).status).toBe('passed');
    expect((await run({ instruction: 'CMD', match: 'all' }, THREE)).status).toBe('passed');
  });

  it('speaks Korean too', async () => {
    const outcome = await withLocale('ko', () => run({ instruction: 'RUN', match: 'none', args: { contains: 'sudo' } }));
    expect(outcome.message).toContain('조건에 맞는 RUN 명령어가 1개 있습니다(3번째 줄)');
  });
});

describe('rules: several rules in one check', () => {
  const DF = ['FROM python', 'WORKDIR /app', 'ADD app.py .', 'ADD req.txt .', 'CMD ["python3", "app.py"]'].join('\n');

  it('earns the share that passes and lists each failing rule with its lines', async () => {
    const outcome = await run({ rules: ['pinned-base', 'no-add', 'exec-form', 'workdir-absolute'] }, DF);
    expect(outcome.status).toBe('failed');
    expect(outcome.share).toEqual({ passed: 2, of: 4 });
    expect(outcome.message).toBe('2 of 4 rules fail: pinned-base (line 1), no-add (lines 3, 4)');
    expect(lines(outcome)).toEqual([1, 3, 4]);
    expect(outcome.expected).toBe('every rule passes: pinned-base, no-add, exec-form, workdir-absolute');
    const actual = outcome.actual!.split('\n');
    expect(actual).toHaveLength(2);
    expect(actual[0]).toMatch(/^pinned-base: FROM python/);
    expect(actual[1]).toMatch(/^no-add: /);
  });

  it('passes with no share when every rule passes', async () => {
    const outcome = await run({ rules: ['exec-form', 'workdir-absolute'] }, DF);
    expect(outcome).toMatchObject({ status: 'passed', message: 'all 2 rules pass' });
    expect(outcome.share).toBeUndefined();
  });

  it('names a rule without lines by itself (dockerignore), and still runs it without a Dockerfile', async () => {
    const outcome = await run({ rules: ['dockerignore', 'expose'] }, null);
    expect(outcome.message).toBe('2 of 2 rules fail: dockerignore, expose');
    expect(outcome.actual).toContain('expose: no Dockerfile found at Dockerfile');
    const repo = await mkdtemp(path.join(os.tmpdir(), 'grader-rules-'));
    try {
      await writeFile(path.join(repo, '.dockerignore'), '.git\n');
      expect((await run({ rules: ['dockerignore', 'expose'] }, null, repo)).share).toEqual({ passed: 1, of: 2 });
    } finally {
      await rm(repo, { recursive: true, force: true });
    }
  });

  it('a single rule works as before', async () => {
    const outcome = await run({ rule: 'no-add' }, DF);
    expect(outcome.status).toBe('failed');
    expect(outcome.share).toBeUndefined();
    expect(lines(outcome)).toEqual([3, 4]);
  });
});
