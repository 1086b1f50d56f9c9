/**
 * Cloning has bounds: a server that stalls, a clone that runs past its deadline, a commit
 * that checks out as a million files or hundreds of MiB, a download past its cap, an
 * interrupt. Each ends quickly with a clear message, no git process left and nothing left
 * in the temp folder. Real git against repositories and servers on 127.0.0.1.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../../src/basics/errors.js';
import { CLONE_LIMITS } from '../../src/workspace/clone.js';
import { openSubmission, type OpenOptions } from '../../src/workspace/submission.js';
import { eventually } from '../helpers/docker.js';
import {
  commitFiles,
  dumbHttpServer,
  git,
  leftovers,
  packBytes,
  processesMentioning,
  silentServer,
  tempDir,
  treeBomb,
  type TestServer,
} from '../helpers/git-repos.js';

const MiB = 1024 * 1024;
const realTmp = tmpdir();
const savedTmpdir = process.env.TMPDIR;
let fixtures: { dir: string; remove(): Promise<void> };
/** The temp folder the code under test sees (TMPDIR), fresh for each test. */
let scratch: string;

beforeAll(async () => {
  fixtures = await tempDir('grader-limits-');
});

afterAll(() => fixtures.remove());

beforeEach(async () => {
  scratch = await mkdtemp(path.join(realTmp, 'grader-limits-tmp-'));
  process.env.TMPDIR = scratch;
});

afterEach(async () => {
  if (savedTmpdir === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmpdir;
  await rm(scratch, { recursive: true, force: true });
});

function fixture(name: string): string {
  const dir = path.join(fixtures.dir, name);
  mkdirSync(dir);
  return dir;
}

/** Opens the submission expecting a refusal; resolves with the UserError and the time taken. */
async function refused(target: string, options: OpenOptions = {}): Promise<{ message: string; ms: number }> {
  const started = performance.now();
  const outcome = await openSubmission(target, options).then(
    async (submission) => {
      await submission.dispose();
      return new Error(`cloned ${target} at ${(await submission.revision).commit}, expected a refusal`);
    },
    (err: unknown) => err,
  );
  const ms = performance.now() - started;
  expect(outcome).toBeInstanceOf(UserError);
  return { message: (outcome as Error).message, ms };
}

/**
 * What a busy machine may add to a limit. The message says which limit ended the clone;
 * what would end it otherwise is far longer (the 30 s low-speed time, the 120 s deadline).
 */
const SLACK_MS = 10_000;

/** Nothing left: no file in the temp folder, no process talking to the server, no connection open. */
async function expectNothingLeft(server?: TestServer): Promise<void> {
  expect(await leftovers(scratch)).toEqual([]);
  if (!server) return;
  expect(processesMentioning(`127.0.0.1:${server.port}`)).toEqual([]);
  await eventually(async () => expect(server.open).toBe(0));
}

describe('cloning within bounds', () => {
  it('gives up on an HTTP server that accepts and never answers, after the low-speed time', async () => {
    const server = await silentServer();
    try {
      const url = `http://127.0.0.1:${server.port}/repo.git`;
      const { message, ms } = await refused(url, { limits: { lowSpeedSeconds: 2 } });
      expect(message).toBe(`could not clone ${url}: the server sent less than 1 KiB a second for 2 s`);
      expect(server.connections).toBeGreaterThan(0);
      expect(ms).toBeGreaterThan(2_000);
      expect(ms).toBeLessThan(2_000 + SLACK_MS);
      await expectNothingLeft(server);
    } finally {
      await server.close();
    }
  });

  it('stops a clone at its deadline, over a transport without a speed limit (git://)', async () => {
    const server = await silentServer();
    try {
      const url = `git://127.0.0.1:${server.port}/repo.git`;
      const { message, ms } = await refused(url, { limits: { timeoutMs: 2_000 } });
      expect(message).toBe(`could not clone ${url}: it took longer than 2 s`);
      expect(ms).toBeGreaterThan(1_900);
      expect(ms).toBeLessThan(2_000 + SLACK_MS);
      await expectNothingLeft(server);
    } finally {
      await server.close();
    }
  });

  it('stops at once when its signal aborts, killing git and its HTTP helper', async () => {
    const server = await silentServer();
    try {
      const url = `http://127.0.0.1:${server.port}/repo.git`;
      const interrupt = new AbortController();
      void server.connected.then(() => interrupt.abort(new Error('interrupted by SIGTERM')));
      const { message, ms } = await refused(url, { ref: 'main', signal: interrupt.signal });
      expect(message).toBe(`could not clone ${url} at main: interrupted by SIGTERM`);
      expect(ms).toBeLessThan(SLACK_MS);
      await expectNothingLeft(server);
    } finally {
      await server.close();
    }
  });

  it('refuses a commit that checks out as a million files (a few KiB of git objects) without checking it out', async () => {
    const bare = fixture('million-files');
    const bomb = treeBomb(bare, { blob: Buffer.from('x\n'), width: 10, depth: 6 });
    expect(bomb.files).toBe(1_000_000);
    expect(CLONE_LIMITS.maxFiles).toBe(20_000);
    const { message, ms } = await refused(`file://${bare}`);
    expect(message).toBe(`could not clone file://${bare}: the commit has more than 20,000 files, the most the grader takes`);
    expect(ms).toBeLessThan(15_000);
    await expectNothingLeft();
  });

  it('refuses a commit whose files take more than 200 MiB (one 1 MiB blob, 300 times)', async () => {
    const bare = fixture('300-mib');
    treeBomb(bare, { blob: randomBytes(MiB), width: 300, depth: 1 });
    expect(CLONE_LIMITS.maxBytes).toBe(200 * MiB);
    const { message, ms } = await refused(`file://${bare}`);
    expect(message).toBe(`could not clone file://${bare}: the commit's files take more than 200 MiB, the most the grader takes`);
    expect(ms).toBeLessThan(15_000);
    await expectNothingLeft();
  });

  it('counts exactly: a commit at the file limit is cloned, one over is refused', async () => {
    const bare = fixture('25-files');
    const bomb = treeBomb(bare, { blob: Buffer.from('x\n'), width: 5, depth: 2 });
    const submission = await openSubmission(`file://${bare}`, { limits: { maxFiles: 25 } });
    try {
      expect((await submission.revision).commit).toBe(bomb.commit);
      expect(readdirSync(submission.dir).filter((d) => d !== '.git')).toEqual(['d0', 'd1', 'd2', 'd3', 'd4']);
      expect(readdirSync(path.join(submission.dir, 'd4'))).toEqual(['f0', 'f1', 'f2', 'f3', 'f4']);
    } finally {
      await submission.dispose();
    }
    const { message } = await refused(`file://${bare}`, { limits: { maxFiles: 24 } });
    expect(message).toMatch(/: the commit has more than 24 files, the most the grader takes$/);
    await expectNothingLeft();
  });

  it('stops a download as soon as it passes the size cap, before the server has sent it all', async () => {
    const work = fixture('big-source');
    writeFileSync(path.join(work, 'Dockerfile'), 'FROM busybox:1.35\n');
    writeFileSync(path.join(work, 'blob.bin'), randomBytes(4 * MiB));
    commitFiles(work, {});
    const bare = path.join(fixtures.dir, 'big.git');
    git(fixtures.dir, ['clone', '-q', '--bare', work, bare]);
    git(bare, ['repack', '-a', '-d', '-q']);
    // The server sends 2 MiB of the pack and then nothing: only the cap can end the clone quickly.
    const server = await dumbHttpServer(bare, 2 * MiB);
    try {
      const url = `http://127.0.0.1:${server.port}/repo.git`;
      const { message, ms } = await refused(url, { limits: { maxBytes: MiB, lowSpeedSeconds: 60 } });
      expect(message).toBe(`could not clone ${url}: the download passed 1 MiB, the most the grader takes`);
      expect(ms).toBeLessThan(10_000);
      expect(server.packBytesSent).toBeGreaterThan(MiB);
      expect(server.packBytesSent).toBeLessThan(packBytes(bare));
      await expectNothingLeft(server);
    } finally {
      await server.close();
    }
  });
});
