/**
 * The git the grader runs trusts nothing it does not own: no config planted in a shared
 * temp folder or HOME, no hostile .git/config of a submission, none of the grader's
 * environment, no transport outside the list, no ref read as an option. And a folder
 * inside a repository does not claim that repository's commit. Real git throughout.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../../src/basics/errors.js';
import { openSubmission } from '../../src/workspace/submission.js';
import { commitFiles, dumbHttpServer, git, leftovers, tempDir } from '../helpers/git-repos.js';

const realTmp = tmpdir();
const savedEnv = { ...process.env };
let fixtures: { dir: string; remove(): Promise<void> };
let source: string;
let sourceCommit: string;
/** The temp folder the code under test sees (TMPDIR), fresh for each test. */
let scratch: string;

beforeAll(async () => {
  fixtures = await tempDir('grader-isolation-');
  source = path.join(fixtures.dir, 'source');
  mkdirSync(source);
  sourceCommit = commitFiles(source, { Dockerfile: 'FROM busybox:1.35\n' });
});

afterAll(() => fixtures.remove());

beforeEach(async () => {
  scratch = await mkdtemp(path.join(realTmp, 'grader-isolation-tmp-'));
  process.env.TMPDIR = scratch;
});

afterEach(async () => {
  for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
  Object.assign(process.env, savedEnv);
  await rm(scratch, { recursive: true, force: true });
});

/** A script that records each time it runs, and the config that makes git run it (as fsmonitor and as a hook). */
function plantTrap(dir: string): { marker: string; config: string } {
  mkdirSync(dir, { recursive: true });
  const marker = path.join(dir, 'trap-ran');
  const script = path.join(dir, 'trap.sh');
  writeFileSync(script, `#!/bin/sh\necho "$0 $*" >> '${marker}'\nenv >> '${marker}'\n`);
  chmodSync(script, 0o755);
  const hooks = path.join(dir, 'hooks');
  mkdirSync(hooks, { recursive: true });
  for (const hook of ['post-checkout', 'reference-transaction']) {
    writeFileSync(path.join(hooks, hook), `#!/bin/sh\nexec '${script}' ${hook}\n`);
    chmodSync(path.join(hooks, hook), 0o755);
  }
  return { marker, config: `[core]\n\tfsmonitor = ${script}\n\thooksPath = ${hooks}\n` };
}

describe('git run by the grader', () => {
  it('ignores a .gitconfig planted in the temp folder, HOME or XDG_CONFIG_HOME, and clones all the same', async () => {
    const trap = plantTrap(path.join(fixtures.dir, 'trap-global'));
    writeFileSync(path.join(scratch, '.gitconfig'), trap.config);
    const home = path.join(fixtures.dir, 'home');
    mkdirSync(path.join(home, '.config', 'git'), { recursive: true });
    writeFileSync(path.join(home, '.gitconfig'), trap.config);
    writeFileSync(path.join(home, '.config', 'git', 'config'), trap.config);

    // The plant is live: git with HOME in the temp folder (as the grader used to run it) runs the trap.
    const control = path.join(fixtures.dir, 'control');
    mkdirSync(control);
    const asBefore = { ...process.env, HOME: scratch };
    execFileSync('git', ['init', '-q'], { cwd: control, env: asBefore });
    execFileSync('git', ['fetch', '-q', '--depth', '1', `file://${source}`, 'HEAD'], { cwd: control, env: asBefore, stdio: 'ignore' });
    execFileSync('git', ['checkout', '-q', '--detach', 'FETCH_HEAD'], { cwd: control, env: asBefore, stdio: 'ignore' });
    expect(existsSync(trap.marker)).toBe(true);
    await rm(trap.marker);

    process.env.HOME = home;
    process.env.XDG_CONFIG_HOME = path.join(home, '.config');
    process.env.GIT_CONFIG_GLOBAL = path.join(home, '.gitconfig');
    const submission = await openSubmission(`file://${source}`);
    try {
      expect((await submission.revision).commit).toBe(sourceCommit);
      expect(readFileSync(path.join(submission.dir, 'Dockerfile'), 'utf8')).toBe('FROM busybox:1.35\n');
      expect(existsSync(trap.marker)).toBe(false);
    } finally {
      await submission.dispose();
    }
    expect(await leftovers(scratch)).toEqual(['.gitconfig']);
  });

  it('reads the commit of a folder whose own .git/config would run commands, and runs none', async () => {
    const folder = path.join(fixtures.dir, 'hostile-folder');
    mkdirSync(folder);
    const head = commitFiles(folder, { Dockerfile: 'FROM busybox:1.35\n' });
    const trap = plantTrap(path.join(fixtures.dir, 'trap-local'));
    writeFileSync(path.join(folder, '.git', 'config'), trap.config, { flag: 'a' });

    // The plant is live: the user's own git runs the trap in that folder.
    execFileSync('git', ['status'], { cwd: folder, stdio: 'ignore' });
    expect(existsSync(trap.marker)).toBe(true);
    await rm(trap.marker);

    const submission = await openSubmission(folder);
    expect((await submission.revision).commit).toBe(head);
    expect(existsSync(trap.marker)).toBe(false);
    expect(await leftovers(scratch)).toEqual([]);
  });

  it("passes git none of the grader's environment, a private HOME removed afterwards, and credentials only off the command line", async () => {
    const spy = path.join(fixtures.dir, 'spy');
    const calls = path.join(spy, 'calls');
    mkdirSync(calls, { recursive: true });
    const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
    writeFileSync(
      path.join(spy, 'git'),
      `#!/bin/sh\nenv -0 > '${calls}'/$$.env\nprintf '%s\\0' "$@" > '${calls}'/$$.args\nexec '${realGit}' "$@"\n`,
    );
    chmodSync(path.join(spy, 'git'), 0o755);
    const secret = 'ghs_secret_value_0123456789';
    Object.assign(process.env, {
      PATH: `${spy}:${process.env.PATH}`,
      GITHUB_TOKEN: secret,
      GH_TOKEN: secret,
      INPUT_TOKEN: secret,
      ACTIONS_RUNTIME_TOKEN: secret,
      GIT_ASKPASS: '/bin/echo',
    });
    const header = `Authorization: basic ${Buffer.from(`x-access-token:${secret}-clone`).toString('base64')}`;

    const folder = await openSubmission(source);
    const clone = await openSubmission(`file://${source}`, { authHeader: header });
    await clone.dispose();
    expect((await folder.revision).commit).toBe(sourceCommit);
    expect((await clone.revision).commit).toBe(sourceCommit);

    const ids = [...new Set(readdirSync(calls).map((f) => f.split('.')[0]!))];
    expect(ids.length).toBeGreaterThanOrEqual(5);
    const homes = new Set<string>();
    let headerCalls = 0;
    for (const id of ids) {
      const env = Object.fromEntries(
        readFileSync(path.join(calls, `${id}.env`), 'utf8')
          .split('\0')
          .filter(Boolean)
          .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
      ) as Record<string, string>;
      const args = readFileSync(path.join(calls, `${id}.args`), 'utf8');
      expect(Object.keys(env).filter((k) => /TOKEN|^INPUT_|^ACTIONS_|ASKPASS/.test(k))).toEqual([]);
      expect(Object.values(env).filter((v) => v.includes(secret))).toEqual([]);
      expect(args).not.toContain(secret);
      expect(args).not.toContain(header);
      expect(env.GIT_CONFIG_GLOBAL).toBe('/dev/null');
      expect(env.GIT_CONFIG_NOSYSTEM).toBe('1');
      expect(path.dirname(env.HOME!)).toBe(scratch);
      homes.add(env.HOME!);
      if (Object.values(env).includes(header)) {
        expect(args.split('\0'), args).toContain('fetch');
        headerCalls += 1;
      }
    }
    expect(headerCalls).toBeGreaterThan(0);
    // One private HOME for the folder, one for the clone; both gone.
    expect(homes.size).toBe(2);
    for (const home of homes) expect(existsSync(home)).toBe(false);
    expect(await leftovers(scratch)).toEqual([]);
  });

  it('sends the clone header on every HTTP request', async () => {
    const bare = path.join(fixtures.dir, 'served.git');
    git(fixtures.dir, ['clone', '-q', '--bare', source, bare]);
    const server = await dumbHttpServer(bare);
    try {
      const header = 'Authorization: basic eC1hY2Nlc3MtdG9rZW46c2VjcmV0';
      const submission = await openSubmission(`http://127.0.0.1:${server.port}/repo.git`, { authHeader: header });
      await submission.dispose();
      expect((await submission.revision).commit).toBe(sourceCommit);
      expect(server.authorizations.length).toBeGreaterThan(2);
      expect(new Set(server.authorizations)).toEqual(new Set(['basic eC1hY2Nlc3MtdG9rZW46c2VjcmV0']));
    } finally {
      await server.close();
    }
    expect(await leftovers(scratch)).toEqual([]);
  });

  it('speaks only the transports it allows', async () => {
    await expect(openSubmission('foo://127.0.0.1/repo.git')).rejects.toThrow(
      /^could not clone foo:\/\/127\.0\.0\.1\/repo\.git: transport 'foo' not allowed$/,
    );
    expect(await leftovers(scratch)).toEqual([]);
  });

  it.each(['-v', '--upload-pack=touch /tmp/grader-pwned', 'main\n-v'])(
    'refuses the ref %j, which git would read as an option, before cloning',
    async (ref) => {
      const error = (await openSubmission(`file://${source}`, { ref }).catch((e: unknown) => e)) as Error;
      expect(error).toBeInstanceOf(UserError);
      expect(error.message).toMatch(
        /^not a branch, tag or commit: ".*" \(a ref cannot start with "-" or contain spaces or control characters\)$/,
      );
      expect(error.message).not.toContain('\n');
      expect(await leftovers(scratch)).toEqual([]);
    },
  );
});

describe('the commit recorded for a local folder', () => {
  it("is the repository's HEAD only for the repository's top folder, through a symlink too; a folder inside gets none", async () => {
    const top = path.join(fixtures.dir, 'nested');
    mkdirSync(top);
    const head = commitFiles(top, { 'README.md': 'course\n', 'student/Dockerfile': 'FROM busybox:1.35\n' });
    const link = path.join(fixtures.dir, 'nested-link');
    symlinkSync(top, link);

    expect((await (await openSubmission(top)).revision).commit).toBe(head);
    expect((await (await openSubmission(link)).revision).commit).toBe(head);
    const inside = await openSubmission(path.join(top, 'student'));
    expect(inside.dir).toBe(path.join(top, 'student'));
    expect((await inside.revision).commit).toBeUndefined();
    expect(git(path.join(top, 'student'), ['rev-parse', 'HEAD'])).toBe(head);
    expect(await leftovers(scratch)).toEqual([]);
  });

  it("is none for a folder inside a repository with an empty .git of its own, or a bare repository's folder", async () => {
    const top = path.join(fixtures.dir, 'outer');
    mkdirSync(top);
    commitFiles(top, { 'student/Dockerfile': 'FROM busybox:1.35\n' });
    mkdirSync(path.join(top, 'student', '.git'));
    expect((await (await openSubmission(path.join(top, 'student'))).revision).commit).toBeUndefined();

    const bare = path.join(fixtures.dir, 'bare.git');
    git(fixtures.dir, ['clone', '-q', '--bare', top, bare]);
    expect((await (await openSubmission(bare)).revision).commit).toBeUndefined();
  });

  it('is none for a folder that is no repository', async () => {
    const plain = path.join(fixtures.dir, 'plain');
    mkdirSync(plain);
    writeFileSync(path.join(plain, 'Dockerfile'), 'FROM busybox:1.35\n');
    expect((await (await openSubmission(plain)).revision).commit).toBeUndefined();
  });
});
