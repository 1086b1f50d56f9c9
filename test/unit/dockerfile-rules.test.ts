import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDockerfile } from '../../src/probes/dockerfile/model.js';
import { checkRule, rules } from '../../src/probes/dockerfile/rules.js';
import type { RuleInput, RuleResult } from '../../src/probes/dockerfile/rules.js';
import { DOCKERFILE_RULES } from '../../src/rubric/model.js';
import type { DockerfileRule } from '../../src/rubric/model.js';

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, '../fixtures/dockerfiles', name), 'utf8');

function input(text: string, extra: Partial<RuleInput> = {}): RuleInput {
  return {
    dockerfile: parseDockerfile(text, 'app/Dockerfile'),
    repoDir: '/nonexistent',
    dockerfilePath: 'app/Dockerfile',
    contextPath: '.',
    buildArgs: {},
    ...extra,
  };
}

const run = (rule: DockerfileRule, text: string, extra?: Partial<RuleInput>): Promise<RuleResult> => checkRule(rule, input(text, extra));
const lines = (result: RuleResult) => result.locations.map((l) => l.line);

describe('every rule', () => {
  it('is registered', () => {
    expect(Object.keys(rules).sort()).toEqual([...DOCKERFILE_RULES].sort());
  });

  it.each(DOCKERFILE_RULES.filter((r) => r !== 'dockerignore'))('%s passes the good Dockerfile', async (rule) => {
    const result = await run(rule, fixture('good.Dockerfile'));
    expect(result, result.message).toMatchObject({ passed: true });
  });

  const BEGINNER_MISTAKES: DockerfileRule[] = [
    'pinned-base',
    'non-root-user',
    'multi-stage',
    'healthcheck',
    'exec-form',
    'no-add',
    'apt-cleanup',
    'combined-apt',
    'expose',
    'no-install-recommends',
    'pinned-packages',
  ];
  it.each(BEGINNER_MISTAKES)('%s fails the beginner Dockerfile, naming lines in the repo-relative file', async (rule) => {
    const result = await run(rule, fixture('beginner.Dockerfile'));
    expect(result.passed).toBe(false);
    expect(result.locations.length).toBeGreaterThan(0);
    expect(result.locations.every((l) => l.path === 'app/Dockerfile')).toBe(true);
  });

  // The beginner Dockerfile does not make the mistakes of the other rules; this one makes them all.
  it.each(DOCKERFILE_RULES.filter((r) => r !== 'dockerignore' && r !== 'workdir-absolute' && !BEGINNER_MISTAKES.includes(r)))(
    '%s fails the careless Dockerfile, naming lines in the repo-relative file',
    async (rule) => {
      const result = await run(rule, fixture('careless.Dockerfile'));
      expect(result.passed, result.message).toBe(false);
      expect(result.locations.length).toBeGreaterThan(0);
      expect(result.locations.every((l) => l.path === 'app/Dockerfile')).toBe(true);
    },
  );
});

describe('pinned-base', () => {
  it('flags untagged and latest with a teaching message', async () => {
    const result = await run('pinned-base', 'FROM node\nFROM python:latest\nFROM nginx:1.27');
    expect(result.passed).toBe(false);
    expect(lines(result)).toEqual([1, 2]);
    expect(result.message).toContain('FROM node without a tag means `latest`');
    expect(result.message).toContain('node:20-alpine');
  });

  it('accepts digests, scratch and earlier stage names (any case)', async () => {
    const text = 'FROM golang@sha256:0123 AS Build\nFROM scratch\nFROM build\n';
    expect((await run('pinned-base', text)).passed).toBe(true);
  });

  it('resolves ARG defaults and build args in FROM', async () => {
    expect((await run('pinned-base', 'ARG V=20\nFROM node:${V}')).passed).toBe(true);
    expect((await run('pinned-base', 'ARG IMAGE=node\nFROM ${IMAGE}')).passed).toBe(false);
    const noDefault = await run('pinned-base', 'ARG V\nFROM node:$V');
    expect(noDefault.passed).toBe(false);
    expect(noDefault.message).toContain('ARG V');
    expect((await run('pinned-base', 'ARG V\nFROM node:$V', { buildArgs: { V: '22' } })).passed).toBe(true);
    expect((await run('pinned-base', 'ARG V=latest\nFROM node:${V}')).passed).toBe(false);
  });

  it('does not take a registry port for a tag', async () => {
    expect((await run('pinned-base', 'FROM localhost:5000/app')).passed).toBe(false);
  });
});

describe('non-root-user', () => {
  it('fails without USER, pointing at the final FROM', async () => {
    const result = await run('non-root-user', 'FROM node:20 AS b\nUSER node\nFROM node:20-slim\nCMD ["node"]');
    expect(result.passed).toBe(false);
    expect(lines(result)).toEqual([3]);
  });

  it.each(['root', '0', '0:0', 'root:root'])('fails when the last USER is %s', async (user) => {
    const result = await run('non-root-user', `FROM node:20\nUSER node\nRUN id\nUSER ${user}`);
    expect(result.passed).toBe(false);
    expect(lines(result)).toEqual([4]);
  });

  it('passes for a named user, even one inherited from the stage it builds on', async () => {
    expect((await run('non-root-user', 'FROM node:20\nUSER root\nRUN x\nUSER 1000:1000')).passed).toBe(true);
    expect((await run('non-root-user', 'FROM node:20 AS base\nUSER node\nFROM base\nCMD ["node"]')).passed).toBe(true);
  });

  it.each(['00', '00:00', '+0', '-0', '000:1000', '0000000000000000000000', ':1000', 'root:1000', '"0"', "'00'", '0""0', '\\0', '"root"'])(
    'fails the disguised root USER %s',
    async (user) => {
      const result = await run('non-root-user', `FROM busybox:1.35\nUSER ${user}`);
      expect(result.passed, result.message).toBe(false);
      expect(lines(result)).toEqual([2]);
      expect(result.message).toMatch(/root: as the final stage's last USER it gives the app root power/);
    },
  );

  it('says what a disguised root means', async () => {
    expect((await run('non-root-user', 'FROM busybox:1.35\nUSER 00:00')).message).toMatch(/^USER "00:00" on line 2 is uid 0, root: /);
    expect((await run('non-root-user', 'FROM busybox:1.35\nUSER root:1000')).message).toMatch(/^USER "root:1000" on line 2 is root: /);
    expect((await run('non-root-user', 'FROM busybox:1.35\nUSER :1000')).message).toMatch(
      /^USER ":1000" on line 2 names no user, so the app stays root: /,
    );
    expect((await run('non-root-user', 'FROM busybox:1.35\nUSER "0"')).message).toMatch(
      /^USER "\\"0\\"" on line 2 means "0", which is uid 0, root: /,
    );
  });

  it('treats the group as irrelevant: gid 0 is no root power', async () => {
    const result = await run('non-root-user', 'FROM busybox:1.35\nUSER 1000:0');
    expect(result).toMatchObject({ passed: true, message: 'USER "1000:0" on line 2 is uid 1000, not root' });
    expect((await run('non-root-user', 'FROM busybox:1.35\nUSER app:root')).passed).toBe(true);
  });

  it('takes a name at its word, leaving its uid to the image check', async () => {
    const result = await run('non-root-user', 'FROM busybox:1.35\nRUN echo app:x:0:0::/:/bin/sh >> /etc/passwd\nUSER app');
    expect(result).toMatchObject({
      passed: true,
      message: 'USER "app" on line 3 names user "app", not root (the image check looks up its uid)',
    });
  });

  it('fails a uid the engine refuses', async () => {
    const result = await run('non-root-user', 'FROM busybox:1.35\nUSER -1');
    expect(result.passed).toBe(false);
    expect(result.message).toContain('is not a uid the engine accepts (0 to 2147483647)');
  });

  it('sees through ARG and ENV values, and build args the rubric passes', async () => {
    const zeroArg = await run('non-root-user', 'FROM busybox:1.35\nARG U=00\nUSER $U');
    expect(zeroArg.passed).toBe(false);
    expect(zeroArg.message).toMatch(/^USER "\$U" on line 3 means "00", which is uid 0, root/);
    expect((await run('non-root-user', 'FROM busybox:1.35\nENV U=0\nUSER ${U}:1000')).passed).toBe(false);
    expect((await run('non-root-user', 'FROM busybox:1.35\nARG U=1000\nUSER $U')).passed).toBe(true);
    expect((await run('non-root-user', 'FROM busybox:1.35\nARG U=1000\nUSER $U', { buildArgs: { U: '0' } })).passed).toBe(false);
    // An ARG declared without a default is empty: USER names no user.
    expect((await run('non-root-user', 'FROM busybox:1.35\nARG U\nUSER $U')).passed).toBe(false);
    expect((await run('non-root-user', 'FROM busybox:1.35\nARG U\nUSER ${U:-0}')).passed).toBe(false);
    expect((await run('non-root-user', 'FROM busybox:1.35\nARG U=app\nUSER ${U:+0}')).passed).toBe(false);
    // ENV reaches the stages built FROM this one; ARG does not, and ENV wins over ARG.
    expect((await run('non-root-user', 'FROM busybox:1.35 AS base\nENV U=0\nFROM base\nUSER $U')).passed).toBe(false);
    expect((await run('non-root-user', 'FROM busybox:1.35\nENV U=0\nARG U=1000\nUSER $U')).passed).toBe(false);
    // A global ARG reaches a stage that declares it again.
    expect((await run('non-root-user', 'ARG U=0\nFROM busybox:1.35\nARG U\nUSER $U')).passed).toBe(false);
  });

  it('leaves a value the Dockerfile alone cannot tell to the image check, and says so', async () => {
    const result = await run('non-root-user', 'FROM node:20\nUSER $BASE_USER');
    expect(result.passed).toBe(true);
    expect(result.message).toBe(
      'USER "$BASE_USER" on line 2 is not root as far as the Dockerfile tells (the Dockerfile alone does not tell the value of $BASE_USER); the image check sees which user it is',
    );
    // An ARG ends with its stage: the stage built FROM it does not see it.
    expect((await run('non-root-user', 'FROM busybox:1.35 AS base\nARG U=0\nFROM base\nUSER $U')).passed).toBe(true);
  });
});

describe('multi-stage', () => {
  it('needs two FROMs', async () => {
    expect((await run('multi-stage', 'FROM a:1\nFROM b:1')).passed).toBe(true);
    const single = await run('multi-stage', '# c\nFROM a:1\nRUN x');
    expect(single.passed).toBe(false);
    expect(lines(single)).toEqual([2]);
  });
});

describe('healthcheck', () => {
  it('needs a HEALTHCHECK that is not NONE in the final stage', async () => {
    expect((await run('healthcheck', 'FROM a:1\nHEALTHCHECK CMD true\nFROM b:1')).passed).toBe(false);
    const none = await run('healthcheck', 'FROM a:1\nHEALTHCHECK CMD true\nHEALTHCHECK none');
    expect(none.passed).toBe(false);
    expect(lines(none)).toEqual([3]);
    expect((await run('healthcheck', 'FROM a:1\nHEALTHCHECK --interval=5s CMD curl -f http://localhost/')).passed).toBe(true);
  });
});

describe('exec-form', () => {
  it('points at every shell-form CMD and ENTRYPOINT', async () => {
    const result = await run('exec-form', 'FROM a:1\nENTRYPOINT ["node"]\nCMD node app.js\nFROM b:1\nENTRYPOINT node \\\n  server.js');
    expect(result.passed).toBe(false);
    expect(result.locations).toEqual([
      { path: 'app/Dockerfile', line: 3 },
      { path: 'app/Dockerfile', line: 5, endLine: 6 },
    ]);
    expect(result.message).toContain('CMD ["node","app.js"]');
  });

  it('explains single quotes', async () => {
    const result = await run('exec-form', "FROM a:1\nCMD ['node', 'app.js']");
    expect(result.message).toContain('single quotes');
  });

  it("leaves the base image's start command alone", async () => {
    expect((await run('exec-form', 'FROM nginx:1.27\nCOPY site /usr/share/nginx/html')).passed).toBe(true);
  });
});

describe('no-add', () => {
  it('allows URLs and archives, flags local files', async () => {
    const result = await run(
      'no-add',
      'FROM a:1\nADD https://x.org/f.txt /f\nADD app.tgz /opt\nADD --chown=1:1 src/ /app/\nADD ["a.tar.xz", "b.txt", "/dst/"]',
    );
    expect(result.passed).toBe(false);
    expect(lines(result)).toEqual([4, 5]);
    expect(result.message).toContain('COPY');
  });
});

describe('apt-cleanup', () => {
  it('wants the lists removed in the RUN that installs', async () => {
    const text = [
      'FROM debian:12',
      'RUN apt-get update && apt-get -y install curl && rm -rf /var/lib/apt/lists/*',
      'RUN apt-get update && apt-get install -y git',
      'RUN rm -rf /var/lib/apt/lists/*',
      'RUN --mount=type=cache,target=/var/lib/apt/lists apt-get update && apt-get install -y vim',
    ].join('\n');
    const result = await run('apt-cleanup', text);
    expect(result.passed).toBe(false);
    expect(lines(result)).toEqual([3]);
  });

  it('looks only at the stages that reach the final image', async () => {
    const discarded = 'FROM ubuntu AS foo\nRUN apt-get update && apt-get install python\nFROM scratch\nRUN echo hey!';
    expect(await run('apt-cleanup', discarded)).toMatchObject({ passed: true });
    // A stage the final one is built FROM is part of the image.
    const inherited = 'FROM ubuntu:24.04 AS foo\nRUN apt-get update && apt-get install python\nFROM foo\nRUN echo hey!';
    const result = await run('apt-cleanup', inherited);
    expect(result.passed).toBe(false);
    expect(lines(result)).toEqual([2]);
  });

  it('sees aptitude and apt as well as apt-get', async () => {
    const aptitude = await run('apt-cleanup', 'FROM ubuntu:24.04\nRUN aptitude update && aptitude install python');
    expect(aptitude.passed).toBe(false);
    expect(lines(aptitude)).toEqual([2]);
    expect(aptitude.message).toContain('line 2');
    expect((await run('apt-cleanup', 'FROM ubuntu:24.04\nRUN apt update && apt install -y python3')).passed).toBe(false);
    const cleaned = 'FROM ubuntu:24.04\nRUN aptitude update && aptitude install -y python && rm -rf /var/lib/apt/lists/*';
    expect((await run('apt-cleanup', cleaned)).passed).toBe(true);
  });

  it('reads the installs as commands, not as text', async () => {
    // An apt option with a separate value no longer hides the install; a mention in echo is no install.
    const optioned = await run('apt-cleanup', 'FROM debian:12\nRUN apt-get -o Dpkg::Options::=--force-confold install -y curl');
    expect(lines(optioned)).toEqual([2]);
    expect(await run('apt-cleanup', 'FROM debian:12\nRUN echo "run apt-get install yourself"')).toMatchObject({ passed: true });
    // Behind sudo, in `sh -c` and under ONBUILD it is still an install in this image.
    const hidden =
      'FROM debian:12\nRUN sudo apt-get install -y curl\nRUN sh -c "apt-get install -y git"\nONBUILD RUN apt-get install -y vim';
    expect(lines(await run('apt-cleanup', hidden))).toEqual([2, 3, 4]);
  });
});

describe('combined-apt', () => {
  it('flags apt-get update alone in its RUN', async () => {
    const text = 'FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl\nRUN apt-get -qq update && \\\n  apt-get install -y git';
    const result = await run('combined-apt', text);
    expect(result.passed).toBe(false);
    expect(lines(result)).toEqual([2]);
  });
});

describe('workdir-absolute', () => {
  it('allows absolute paths and variables, flags relative ones', async () => {
    const result = await run('workdir-absolute', 'FROM a:1\nWORKDIR /app\nWORKDIR $HOME/app\nWORKDIR "/srv"\nWORKDIR src\nWORKDIR ./x');
    expect(result.passed).toBe(false);
    expect(lines(result)).toEqual([5, 6]);
    expect(result.message).toContain('WORKDIR src on line 5');
    expect((await run('workdir-absolute', fixture('beginner.Dockerfile'))).passed).toBe(false);
  });
});

describe('expose', () => {
  it('needs an EXPOSE in the final stage', async () => {
    const result = await run('expose', 'FROM a:1\nEXPOSE 80\nFROM b:1\nCMD ["x"]');
    expect(result.passed).toBe(false);
    expect(lines(result)).toEqual([3]);
    const passed = await run('expose', 'FROM a:1\nFROM b:1\nEXPOSE 8080/tcp');
    expect(passed.passed).toBe(true);
    expect(passed.message).toContain('8080/tcp');
  });
});

describe('dockerignore', () => {
  let repo: string;
  beforeAll(async () => {
    repo = await mkdtemp(path.join(os.tmpdir(), 'grader-rules-'));
  });
  afterAll(async () => {
    await rm(repo, { recursive: true, force: true });
  });

  const check = (contextPath: string, dockerfilePath = 'Dockerfile') =>
    checkRule('dockerignore', { dockerfile: undefined, repoDir: repo, dockerfilePath, contextPath, buildArgs: {} });

  it('runs without a Dockerfile and looks in the build context', async () => {
    await mkdir(path.join(repo, 'web'));
    expect((await check('web')).passed).toBe(false);
    await writeFile(path.join(repo, 'web', '.dockerignore'), 'node_modules\n.env\n');
    expect((await check('web')).passed).toBe(true);
    expect((await check('.')).message).toContain('no .dockerignore');
  });

  it('accepts <Dockerfile>.dockerignore next to the Dockerfile', async () => {
    await mkdir(path.join(repo, 'docker'));
    await writeFile(path.join(repo, 'docker', 'Dockerfile.dockerignore'), '.git\n');
    expect((await check('.', 'docker/Dockerfile')).passed).toBe(true);
  });

  it('does not count a symlink pointing out of the repo', async () => {
    const outside = await mkdtemp(path.join(os.tmpdir(), 'grader-outside-'));
    await writeFile(path.join(outside, 'x'), 'x');
    await mkdir(path.join(repo, 'linked'));
    await symlink(path.join(outside, 'x'), path.join(repo, 'linked', '.dockerignore'));
    expect((await check('linked')).passed).toBe(false);
    await rm(outside, { recursive: true, force: true });
  });
});
