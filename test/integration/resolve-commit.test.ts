/**
 * Which commit a class run grades, with real git repositories: GitHub's served by the fake
 * GitHub (its API, and git over smart HTTP through `git http-backend`), plain git URLs and
 * local paths. The repository used throughout has a commit pushed after the deadline whose
 * committer date was forged to before it: push times see through that, committer dates cannot.
 */
import * as childProcess from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { InfrastructureError } from '../../src/basics/errors.js';
import {
  githubAccessFrom,
  repositoryKind,
  resolveCommit,
  type GitHubAccess,
  type ResolveRequest,
} from '../../src/workspace/resolve-commit.js';
import { openSubmission } from '../../src/workspace/submission.js';
import { FakeGitHub, NO_COMMIT } from '../helpers/fake-github.js';
import { commitDated, git, tempDir } from '../helpers/git-repos.js';

// Every process the code under test starts is recorded (and started as usual), to see what git was given.
vi.mock('node:child_process', async (importOriginal) => {
  const real = await importOriginal<typeof childProcess>();
  return { ...real, spawn: vi.fn(real.spawn) };
});
const spawned = vi.mocked(childProcess.spawn);

const TOKEN = 'ghp_integration_secret_0123456789';
const BASIC = Buffer.from(`x-access-token:${TOKEN}`).toString('base64');
const DEADLINE = new Date('2025-03-01T23:59:00Z');
const HOUR = 3_600_000;
const hoursFromDeadline = (h: number) => new Date(DEADLINE.getTime() + h * HOUR);

const realTmp = tmpdir();
let fixtures: { dir: string; remove(): Promise<void> };
let fake: FakeGitHub;
let access: GitHubAccess;
/** Commit A: made and pushed 2 h before the deadline. Commit B: pushed 5 h after it, dated 1 h before it. */
let commitA: string;
let commitB: string;
let bare: string;
let work: string;
let scratch: string;

beforeAll(async () => {
  fixtures = await tempDir('grader-resolve-fixtures-');
  work = path.join(fixtures.dir, 'work');
  mkdirSync(work);
  git(work, ['init', '-q', '-b', 'main']);
  commitA = commitDated(work, { Dockerfile: 'FROM busybox:1.35\nCMD ["echo", "A"]\n' }, hoursFromDeadline(-3), 'A');
  commitB = commitDated(work, { Dockerfile: 'FROM busybox:1.35\nCMD ["echo", "B"]\n' }, hoursFromDeadline(-1), 'B (late, back-dated)');
  bare = path.join(fixtures.dir, 'served', 'hw1-ana.git');
  git(fixtures.dir, ['clone', '-q', '--bare', work, bare]);
  const privateBare = path.join(fixtures.dir, 'served', 'hw1-bo.git');
  git(fixtures.dir, ['clone', '-q', '--bare', work, privateBare]);
  const emptyBare = path.join(fixtures.dir, 'served', 'hw1-cy.git');
  git(fixtures.dir, ['init', '-q', '--bare', '-b', 'main', emptyBare]);

  fake = await FakeGitHub.start({ token: TOKEN });
  access = githubAccessFrom({ apiUrl: fake.apiUrl, token: TOKEN });
  for (const [name, dir, isPrivate] of [
    ['hw1-ana', bare, false],
    ['hw1-bo', privateBare, true],
  ] as const) {
    const repository = fake.addRepository({ owner: 'course', name, bareDir: dir, private: isPrivate });
    fake.addActivity(repository, {
      activity_type: 'branch_creation',
      before: NO_COMMIT,
      after: commitA,
      timestamp: hoursFromDeadline(-2).toISOString(),
    });
    fake.addActivity(repository, { after: commitB, timestamp: hoursFromDeadline(5).toISOString() });
  }
  fake.addRepository({ owner: 'course', name: 'hw1-cy', bareDir: emptyBare });
});

afterAll(async () => {
  expect(fake.problems).toEqual([]);
  await fake.close();
  await fixtures.remove();
});

beforeEach(async () => {
  scratch = await mkdtemp(path.join(realTmp, 'grader-resolve-tmp-'));
  process.env.TMPDIR = scratch;
  spawned.mockClear();
  fake.requests.length = 0;
});

afterEach(async () => {
  process.env.TMPDIR = realTmp;
  // Each resolution's private HOME and scratch folder, and each clone, are gone.
  expect(readdirSync(scratch)).toEqual([]);
  await rm(scratch, { recursive: true, force: true });
});

function request(repository: string, more: Partial<ResolveRequest> = {}): ResolveRequest {
  return { repository, baseDir: fixtures.dir, github: access, ...more };
}

/** The git command lines the code under test ran (the fake's own `git http-backend` aside). */
function gitCommands(): string[][] {
  return spawned.mock.calls
    .filter(([command, args]) => command === 'git' && !(args as string[]).includes('http-backend'))
    .map(([, args]) => [...(args as string[])]);
}

describe('a GitHub repository, with a deadline: by push time', () => {
  it('grades the commit pushed before the deadline, says how late the next push came, and clones it', async () => {
    const resolution = await resolveCommit(request('course/hw1-ana', { deadline: DEADLINE }));
    expect(resolution).toEqual({
      status: 'found',
      kind: 'github',
      target: `${fake.url}/course/hw1-ana.git`,
      ref: commitA,
      commit: commitA,
      pushedAt: hoursFromDeadline(-2).toISOString(),
      deadlineBasis: 'push-time',
      lateMs: 5 * HOUR,
      authHeader: `AUTHORIZATION: basic ${BASIC}`,
    });
    // Push times come from the API alone: no git ran.
    expect(gitCommands()).toEqual([]);
    expect(fake.operations()).toEqual(['repos/get', 'repos/list-activities']);

    if (resolution.status !== 'found') throw new Error('not found');
    const submission = await openSubmission(resolution.target, { ref: resolution.ref, authHeader: resolution.authHeader });
    try {
      expect((await submission.revision).commit).toBe(commitA);
      expect(readFileSync(path.join(submission.dir, 'Dockerfile'), 'utf8')).toContain('"A"');
    } finally {
      await submission.dispose();
    }
  });

  it('finds nothing when the deadline came before the first push', async () => {
    expect(await resolveCommit(request('course/hw1-ana', { deadline: hoursFromDeadline(-10) }))).toEqual({
      status: 'missing',
      reason: 'nothing was pushed to main before the deadline',
    });
  });

  it('treats a clone URL of the GitHub server as the GitHub repository', async () => {
    for (const url of [`${fake.url}/course/hw1-ana.git`, `${fake.url}/course/hw1-ana`]) {
      expect(repositoryKind(url, fixtures.dir, access.serverUrl)).toBe('github');
      expect(await resolveCommit(request(url, { deadline: DEADLINE }))).toMatchObject({
        kind: 'github',
        commit: commitA,
        deadlineBasis: 'push-time',
      });
    }
    expect(repositoryKind(`${fake.url}/course/hw1-ana.git`, fixtures.dir)).toBe('git-url');
  });
});

describe('the same repository as a plain git URL or a path, with a deadline: by committer date', () => {
  it('believes the forged date of the late commit (which is why GitHub repositories go by push time)', async () => {
    const expected = {
      status: 'found',
      ref: commitB,
      commit: commitB,
      committedAt: hoursFromDeadline(-1).toISOString(),
      deadlineBasis: 'committer-date',
    };
    expect(await resolveCommit(request(`file://${bare}`, { deadline: DEADLINE }))).toEqual({
      ...expected,
      kind: 'git-url',
      target: `file://${bare}`,
    });
    expect(await resolveCommit(request(path.relative(fixtures.dir, bare), { deadline: DEADLINE }))).toEqual({
      ...expected,
      kind: 'local',
      target: bare,
    });
    expect(await resolveCommit(request(work, { deadline: DEADLINE }))).toEqual({ ...expected, kind: 'local', target: work });
  });

  it('clones the history over smart HTTP from a server that is not the GitHub one', async () => {
    const elsewhere = githubAccessFrom({ apiUrl: 'https://api.github.com' });
    const url = `${fake.url}/course/hw1-ana.git`;
    expect(await resolveCommit({ ...request(url, { deadline: DEADLINE }), github: elsewhere })).toEqual({
      status: 'found',
      kind: 'git-url',
      target: url,
      ref: commitB,
      commit: commitB,
      committedAt: hoursFromDeadline(-1).toISOString(),
      deadlineBasis: 'committer-date',
    });
    // Only git's requests reached the server: a git URL's dates need no API.
    expect(fake.requests.map((r) => r.operationId)).toEqual(fake.requests.map(() => undefined));
    expect(fake.requests.some((r) => r.path.endsWith('/git-upload-pack') && r.status === 200)).toBe(true);
  });

  it('says late when a commit is dated after the deadline, and grades the one before it', async () => {
    const resolution = await resolveCommit(request(`file://${bare}`, { deadline: hoursFromDeadline(-2) }));
    expect(resolution).toMatchObject({ commit: commitA, committedAt: hoursFromDeadline(-3).toISOString(), lateMs: HOUR });
  });

  it('clones history only (no files) to learn the dates, into a folder it removes', async () => {
    await resolveCommit(request(`file://${bare}`, { deadline: DEADLINE }));
    const clones = gitCommands().filter((args) => args.includes('clone'));
    expect(clones).toHaveLength(1);
    expect(clones[0]).toEqual(expect.arrayContaining(['--bare', '--filter=blob:none', '--single-branch', `file://${bare}`]));
  });

  it('finds nothing when every commit is dated after the deadline', async () => {
    const reason = 'no commit on its default branch is dated before the deadline';
    expect(await resolveCommit(request(`file://${bare}`, { deadline: hoursFromDeadline(-10) }))).toEqual({ status: 'missing', reason });
    expect(await resolveCommit(request(work, { deadline: hoursFromDeadline(-10) }))).toEqual({
      status: 'missing',
      reason: 'no commit on HEAD is dated before the deadline',
    });
  });
});

describe('without a deadline: the head of the branch, learnt without cloning', () => {
  it('asks the GitHub server with ls-remote', async () => {
    expect(await resolveCommit(request('course/hw1-ana'))).toEqual({
      status: 'found',
      kind: 'github',
      target: `${fake.url}/course/hw1-ana.git`,
      ref: commitB,
      commit: commitB,
      authHeader: `AUTHORIZATION: basic ${BASIC}`,
    });
    expect(gitCommands().map((args) => args.find((a) => !a.includes('=') && a !== '-c'))).toEqual(['ls-remote']);
  });

  it('asks a plain git URL for its default branch, or the branch named', async () => {
    git(bare, ['update-ref', 'refs/heads/draft', commitA]);
    try {
      expect(await resolveCommit(request(`file://${bare}`))).toEqual({
        status: 'found',
        kind: 'git-url',
        target: `file://${bare}`,
        ref: commitB,
        commit: commitB,
      });
      expect(await resolveCommit(request(`file://${bare}`, { branch: 'draft' }))).toMatchObject({ commit: commitA });
      expect(await resolveCommit(request(`file://${bare}`, { branch: 'nope' }))).toEqual({
        status: 'missing',
        reason: `file://${bare} has no commit on its branch nope`,
      });
    } finally {
      git(bare, ['update-ref', '-d', 'refs/heads/draft']);
    }
    expect(gitCommands().every((args) => args.includes('ls-remote'))).toBe(true);
  });

  it('reads a local repository in place, with the committer date', async () => {
    expect(await resolveCommit(request(work))).toEqual({
      status: 'found',
      kind: 'local',
      target: work,
      ref: commitB,
      commit: commitB,
      committedAt: hoursFromDeadline(-1).toISOString(),
    });
    expect(gitCommands().some((args) => args.includes('clone') || args.includes('fetch'))).toBe(false);
  });
});

describe('a private GitHub repository', () => {
  it('is found, and cloned, with the token only; the token is never on a command line', async () => {
    const resolution = await resolveCommit(request('course/hw1-bo'));
    expect(resolution).toMatchObject({ status: 'found', commit: commitB, authHeader: `AUTHORIZATION: basic ${BASIC}` });
    if (resolution.status !== 'found') throw new Error('not found');

    await expect(openSubmission(resolution.target, { ref: resolution.ref })).rejects.toThrow(/could not clone .*hw1-bo\.git/);
    const submission = await openSubmission(resolution.target, { ref: resolution.ref, authHeader: resolution.authHeader });
    await submission.dispose();
    expect((await submission.revision).commit).toBe(commitB);

    const api = fake.requests.filter((r) => r.operationId);
    const gitRequests = fake.requests.filter((r) => !r.operationId);
    expect(api.map((r) => r.authorization)).toEqual([`Bearer ${TOKEN}`]);
    expect(gitRequests.filter((r) => r.status === 200).length).toBeGreaterThan(2);
    for (const r of gitRequests) expect([undefined, `basic ${BASIC}`]).toContain(r.authorization);

    const calls = spawned.mock.calls.filter(([command]) => command === 'git');
    expect(calls.length).toBeGreaterThan(3);
    for (const [, args, options] of calls) {
      const line = (args as string[]).join(' ');
      expect(line).not.toContain(TOKEN);
      expect(line).not.toContain(BASIC);
      const env = (options as { env?: NodeJS.ProcessEnv }).env ?? {};
      // Only ever a header in git's private config, for the server alone (ls-remote) or the repository alone (the clone).
      for (const [key, value] of Object.entries(env)) {
        if (!value?.includes(BASIC)) continue;
        expect(key).toMatch(/^GIT_CONFIG_VALUE_\d+$/);
        expect([`http.${fake.url}/.extraHeader`, `http.${resolution.target}.extraHeader`]).toContain(env[key.replace('VALUE', 'KEY')]);
      }
    }
  });

  it('is missing without a token, with a hint', async () => {
    const anonymous = githubAccessFrom({ apiUrl: fake.apiUrl });
    expect(await resolveCommit({ ...request('course/hw1-bo'), github: anonymous })).toEqual({
      status: 'missing',
      reason: `no repository course/hw1-bo on 127.0.0.1:${new URL(fake.url).port} (or it is private, and no token was given)`,
    });
  });

  it('makes a refused token an infrastructure failure that does not quote it', async () => {
    const revoked = githubAccessFrom({ apiUrl: fake.apiUrl, token: `${TOKEN}x` });
    const failure = await resolveCommit({ ...request('course/hw1-bo', { deadline: DEADLINE }), github: revoked }).catch(
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(InfrastructureError);
    expect((failure as Error).message).toMatch(/refused the token \(401 "Bad credentials"\)/);
    expect((failure as Error).message).not.toContain(TOKEN);
  });
});

describe('no repository, or nothing to grade', () => {
  it('is missing when GitHub has no such repository, or it has no commit', async () => {
    const host = `127.0.0.1:${new URL(fake.url).port}`;
    expect(await resolveCommit(request('course/hw1-nobody', { deadline: DEADLINE }))).toEqual({
      status: 'missing',
      reason: `no repository course/hw1-nobody on ${host}`,
    });
    expect(await resolveCommit(request('course/hw1-cy'))).toEqual({ status: 'missing', reason: 'course/hw1-cy has no branch main' });
    expect(await resolveCommit(request('course/hw1-cy', { deadline: DEADLINE }))).toEqual({
      status: 'missing',
      reason: 'nothing was pushed to main before the deadline',
    });
  });

  it('is missing when a git URL or a path leads nowhere', async () => {
    const gone = path.join(fixtures.dir, 'gone.git');
    expect(await resolveCommit(request(`file://${gone}`))).toEqual({ status: 'missing', reason: `no repository at file://${gone}` });
    expect(await resolveCommit(request(`file://${gone}`, { deadline: DEADLINE }))).toEqual({
      status: 'missing',
      reason: `no repository at file://${gone}`,
    });
    expect(await resolveCommit(request('students/nobody'))).toMatchObject({ status: 'missing' });
    expect(await resolveCommit(request('./nobody'))).toEqual({
      status: 'missing',
      reason: `no repository at ${path.join(fixtures.dir, 'nobody')}`,
    });
  });

  it('is missing for a branch the repository does not have', async () => {
    expect(await resolveCommit(request(`file://${bare}`, { branch: 'nope', deadline: DEADLINE }))).toEqual({
      status: 'missing',
      reason: `file://${bare} has no branch nope`,
    });
    expect(await resolveCommit(request(work, { branch: 'nope' }))).toEqual({
      status: 'missing',
      reason: `the repository at ${work} has no branch nope`,
    });
    expect(await resolveCommit(request('course/hw1-ana', { branch: 'nope' }))).toEqual({
      status: 'missing',
      reason: 'course/hw1-ana has no branch nope',
    });
  });
});

describe('telling the kinds apart', () => {
  it('takes an existing path as local, then owner/name as GitHub, then a URL as git', () => {
    mkdirSync(path.join(fixtures.dir, 'course', 'hw1-local'), { recursive: true });
    const github = 'https://github.com';
    expect(repositoryKind('course/hw1-local', fixtures.dir, github)).toBe('local');
    expect(repositoryKind('course/hw1-remote', fixtures.dir, github)).toBe('github');
    expect(repositoryKind('course/hw1-remote.git', fixtures.dir, github)).toBe('github');
    expect(repositoryKind('git@github.com:course/hw1-remote.git', fixtures.dir, github)).toBe('github');
    expect(repositoryKind('ssh://git@github.com/course/hw1-remote.git', fixtures.dir, github)).toBe('github');
    expect(repositoryKind('https://github.com/course/hw1-remote', fixtures.dir, github)).toBe('github');
    expect(repositoryKind('https://github.com/course/hw1-remote/tree/main', fixtures.dir, github)).toBe('git-url');
    expect(repositoryKind('https://gitlab.example.edu/course/hw1.git', fixtures.dir, github)).toBe('git-url');
    expect(repositoryKind('git@gitlab.example.edu:course/hw1.git', fixtures.dir, github)).toBe('git-url');
    expect(repositoryKind('students/2025/ana', fixtures.dir, github)).toBe('local');
    expect(repositoryKind('-bad/name', fixtures.dir, github)).toBe('local');
  });
});

describe('an interrupt', () => {
  it('rejects with its reason and leaves nothing behind', async () => {
    const controller = new AbortController();
    controller.abort(new Error('interrupted'));
    for (const repository of ['course/hw1-ana', `file://${bare}`, work]) {
      await expect(resolveCommit(request(repository, { deadline: DEADLINE, signal: controller.signal }))).rejects.toThrow(/^interrupted$/);
    }
  });
});

describe('a plain folder', () => {
  it('is graded as it is: no commit, no deadline basis', async () => {
    const folder = path.join(fixtures.dir, 'plain');
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, 'Dockerfile'), 'FROM busybox:1.35\n');
    for (const deadline of [undefined, DEADLINE]) {
      expect(await resolveCommit(request('plain', deadline ? { deadline } : {}))).toEqual({
        status: 'found',
        kind: 'local',
        target: folder,
      });
    }
    // A folder inside a repository is not that repository.
    const inside = path.join(work, 'sub');
    mkdirSync(inside, { recursive: true });
    expect(await resolveCommit(request(inside, { deadline: DEADLINE }))).toEqual({ status: 'found', kind: 'local', target: inside });
  });
});

describe('a hostile local repository', () => {
  it('does not get to run its gpg.program when its commit is read', async () => {
    const dir = path.join(fixtures.dir, 'hostile-gpg');
    mkdirSync(dir, { recursive: true });
    git(dir, ['init', '-q', '-b', 'main']);
    const tree = git(dir, ['mktree'], '');
    const signed = [
      `tree ${tree}`,
      'author a <a@example.com> 1740000000 +0000',
      'committer a <a@example.com> 1740000000 +0000',
      'gpgsig -----BEGIN PGP SIGNATURE-----',
      ' ',
      ' AAAA',
      ' -----END PGP SIGNATURE-----',
      '',
      'signed',
      '',
    ].join('\n');
    const commit = git(dir, ['hash-object', '-t', 'commit', '-w', '--stdin'], signed);
    git(dir, ['update-ref', 'refs/heads/main', commit]);
    const marker = path.join(fixtures.dir, 'gpg-ran');
    const script = path.join(fixtures.dir, 'gpg.sh');
    writeFileSync(script, `#!/bin/sh\ntouch '${marker}'\n`);
    chmodSync(script, 0o755);
    git(dir, ['config', 'gpg.program', script]);
    git(dir, ['config', 'log.showSignature', 'true']);

    expect(await resolveCommit(request(dir, { deadline: DEADLINE }))).toMatchObject({ commit, committedAt: '2025-02-19T21:20:00.000Z' });
    const folder = await openSubmission(dir);
    await folder.dispose();
    expect((await folder.revision).commit).toBe(commit);
    expect(existsSync(marker)).toBe(false);
  });
});
