import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDockerfile } from '../../src/probes/dockerfile/model.js';
import { dockerfileProbe } from '../../src/probes/kinds/dockerfile.js';
import type { DockerfileSpec } from '../../src/rubric/model.js';
import { check, FakeEngine, fakeContext } from '../helpers/fake-engine.js';

const TEXT = ['FROM node:20-alpine', 'LABEL maintainer="kim@example.com"', 'EXPOSE 3000', 'EXPOSE 9229/tcp', 'CMD node app.js'].join('\n');

function run(spec: Omit<DockerfileSpec, 'kind'>, text: string | null = TEXT, repoDir = '/nonexistent') {
  const ctx = fakeContext(new FakeEngine(), {
    repoDir,
    dockerfilePath: 'web/Dockerfile',
    ...(text !== null ? { dockerfile: parseDockerfile(text, 'web/Dockerfile') } : {}),
  });
  return dockerfileProbe.run(check<DockerfileSpec>({ kind: 'dockerfile', ...spec }), ctx);
}

describe('dockerfile probe', () => {
  it('runs a rule and passes its locations through', async () => {
    const outcome = await run({ rule: 'exec-form' });
    expect(outcome).toMatchObject({ status: 'failed', locations: [{ path: 'web/Dockerfile', line: 5 }] });
    expect(outcome.message).toContain('shell form');
    expect((await run({ rule: 'pinned-base' })).status).toBe('passed');
  });

  it('fails a rule saying where it looked when the Dockerfile is missing', async () => {
    expect(await run({ rule: 'expose' }, null)).toEqual({ status: 'failed', message: 'no Dockerfile found at web/Dockerfile' });
    expect((await run({ instruction: 'EXPOSE' }, null)).message).toContain('web/Dockerfile');
  });

  it('runs the dockerignore rule even without a Dockerfile', async () => {
    const repo = await mkdtemp(path.join(os.tmpdir(), 'grader-dfprobe-'));
    try {
      await writeFile(path.join(repo, '.dockerignore'), '.env\n');
      expect((await run({ rule: 'dockerignore' }, null, repo)).status).toBe('passed');
    } finally {
      await rm(repo, { recursive: true, force: true });
    }
  });

  it('passes when some instruction matches, pointing at it', async () => {
    const outcome = await run({ instruction: 'EXPOSE', args: { matches: '^9229' } });
    expect(outcome).toMatchObject({ status: 'passed', locations: [{ path: 'web/Dockerfile', line: 4 }] });
    expect((await run({ instruction: 'label', args: { contains: 'maintainer=' } })).status).toBe('passed');
    expect((await run({ instruction: 'CMD' })).status).toBe('passed');
  });

  it('fails naming what it found, with lines', async () => {
    const outcome = await run({ instruction: 'EXPOSE', args: { contains: '8080' } });
    expect(outcome.status).toBe('failed');
    expect(outcome.actual).toBe('line 3: EXPOSE 3000\nline 4: EXPOSE 9229/tcp');
    expect(outcome.locations?.map((l) => l.line)).toEqual([3, 4]);
    expect(outcome.expected).toBe('EXPOSE whose arguments contains "8080"');
  });

  it('fails when the instruction is absent', async () => {
    expect((await run({ instruction: 'HEALTHCHECK' })).message).toBe('the Dockerfile has no HEALTHCHECK instruction');
  });
});
