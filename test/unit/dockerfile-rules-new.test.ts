/**
 * The built-in rules added for hadolint-grade feedback, beyond hadolint's own examples:
 * which stages each looks at, ONBUILD, SHELL, wrappers such as sudo and `sh -c`, the lines
 * a failure names, and the messages in English and Korean.
 */
import { describe, expect, it } from 'vitest';
import { withLocale } from '../../src/basics/i18n/catalogue.js';
import { parseDockerfile } from '../../src/probes/dockerfile/model.js';
import { checkRule } from '../../src/probes/dockerfile/rules.js';
import type { RuleResult } from '../../src/probes/dockerfile/rules.js';
import { looksSecret } from '../../src/probes/dockerfile/rules/secrets.js';
import type { DockerfileRule } from '../../src/rubric/model.js';

const run = (rule: DockerfileRule, text: string, buildArgs: Record<string, string> = {}): Promise<RuleResult> =>
  checkRule(rule, {
    dockerfile: parseDockerfile(text, 'app/Dockerfile'),
    repoDir: '/nonexistent',
    dockerfilePath: 'app/Dockerfile',
    contextPath: '.',
    buildArgs,
  });
const lines = (result: RuleResult) => result.locations.map((l) => l.line);
const df = (...l: string[]) => l.join('\n');

const HANGUL = /[\uac00-\ud7a3]/;

describe('no-secrets', () => {
  it('fails ENV values and ARG defaults with secret-looking names, naming each', async () => {
    const result = await run(
      'no-secrets',
      df(
        'ARG NPM_TOKEN=npm_abc',
        'FROM node:20',
        'ENV DB_PASSWORD=hunter2 PORT=8080',
        'ENV apiKey=xyz',
        'ENV MYSQL_ROOT_PASSWORD legacy-form',
      ),
    );
    expect(result.passed).toBe(false);
    expect(lines(result)).toEqual([1, 3, 4, 5]);
    expect(result.message).toContain('"NPM_TOKEN", "DB_PASSWORD", "apiKey", "MYSQL_ROOT_PASSWORD" on lines 1, 3, 4, 5');
    expect(result.message).toContain('docker run -e');
  });

  it('passes an ARG without a default, an empty value, and names that only point at a secret', async () => {
    const text = df(
      'ARG GITHUB_TOKEN',
      'FROM node:20',
      'ARG NPM_TOKEN',
      'ENV API_KEY=""',
      'ENV DB_PASSWORD_FILE=/run/secrets/db TOKENIZERS_PARALLELISM=false',
      'RUN --mount=type=secret,id=npm,env=NPM_TOKEN npm ci',
    );
    expect(await run('no-secrets', text)).toMatchObject({ passed: true, locations: [] });
  });

  it('fails an ENV that copies a build arg into the image, and ONBUILD ENV', async () => {
    const result = await run('no-secrets', df('FROM node:20', 'ARG NPM_TOKEN', 'ENV NPM_TOKEN=$NPM_TOKEN', 'ONBUILD ENV SECRET_KEY=abc'));
    expect(lines(result)).toEqual([3, 4]);
  });

  it.each([
    ['PASSWORD', true],
    ['db_passwd', true],
    ['JWT_SECRET', true],
    ['SECRET_KEY_BASE', true],
    ['GITHUB_TOKEN', true],
    ['AWS_ACCESS_KEY_ID', true],
    ['OPENAI_API_KEY', true],
    ['openaiApiKey', true],
    ['SSH_PRIVATE_KEY', true],
    ['GPG_PASSPHRASE', true],
    ['TOKENIZERS_PARALLELISM', false],
    ['PASSWORD_FILE', false],
    ['SECRETS_DIR', false],
    ['OAUTH_TOKEN_URL', false],
    ['PORT', false],
    ['USERNAME', false],
    ['PWD', false],
  ])('%s looks like a secret: %s', (name, secret) => {
    expect(looksSecret(name)).toBe(secret);
  });
});

describe('no-cd', () => {
  it('fails cd anywhere in a RUN, in every stage, and names each RUN with its lines', async () => {
    const text = df(
      'FROM node:20 AS build',
      'RUN npm ci && cd dist \\',
      '  && ls',
      'RUN (cd /x && make)',
      'FROM nginx:1.27',
      'RUN bash -c "cd /srv && ls"',
      'RUN <<EOF',
      'set -e',
      'cd /usr/share/nginx/html',
      'EOF',
      'ONBUILD RUN cd /app',
      'RUN make -C /app && echo cd',
    );
    const result = await run('no-cd', text);
    expect(result.locations).toEqual([
      { path: 'app/Dockerfile', line: 2, endLine: 3 },
      { path: 'app/Dockerfile', line: 4 },
      { path: 'app/Dockerfile', line: 6 },
      { path: 'app/Dockerfile', line: 7, endLine: 10 },
      { path: 'app/Dockerfile', line: 11 },
    ]);
    expect(result.message).toBe(
      'RUN on lines 2, 4, 6, 7, 11 uses `cd`, whose effect ends with that RUN and makes the steps hard to follow; set the directory with `WORKDIR /path` instead',
    );
  });

  it('passes WORKDIR', async () => {
    expect(await run('no-cd', df('FROM node:20', 'WORKDIR /app', 'RUN npm ci'))).toEqual({
      passed: true,
      message: 'no RUN changes directory with cd',
      locations: [],
    });
  });
});

describe('no-sudo', () => {
  it('fails sudo in any command position, behind env, in sh -c and in command substitutions', async () => {
    const text = df(
      'FROM debian:12',
      'RUN apt-get update && sudo apt-get install -y curl',
      'RUN env DEBIAN_FRONTEND=noninteractive sudo -E true',
      'RUN sh -c "sudo ls"',
      'RUN echo $(sudo whoami)',
      'RUN /usr/bin/sudo -u app id',
      'RUN apt-get install -y sudo && echo sudo',
    );
    expect(lines(await run('no-sudo', text))).toEqual([2, 3, 4, 5, 6]);
  });
});

describe('no-install-recommends', () => {
  it('fails apt-get and apt installs without it in the final image, also behind sudo and under ONBUILD', async () => {
    const text = df(
      'FROM debian:12 AS build',
      'RUN apt-get install -y build-essential',
      'FROM debian:12',
      'RUN apt-get install -y --no-install-recommends curl',
      'RUN apt install -y git',
      'RUN sudo apt-get install -y vim',
      'RUN aptitude install -y -R less && apt-get -o APT::Install-Recommends=0 install -y jq',
      'ONBUILD RUN apt-get install -y make',
    );
    const result = await run('no-install-recommends', text);
    // The build stage is discarded: its extra packages never reach the image.
    expect(lines(result)).toEqual([5, 6, 8]);
    expect(result.message).toContain('on lines 5, 6, 8');
  });
});

describe('apk-no-cache', () => {
  it('passes --no-cache, a cache mount, or removing the cache in the same RUN', async () => {
    const text = df(
      'FROM alpine:3.20 AS build',
      'RUN apk add build-base',
      'FROM alpine:3.20',
      'RUN apk add --no-cache curl',
      'RUN apk update && apk add git && rm -rf /var/cache/apk/*',
      'RUN --mount=type=cache,target=/var/cache/apk apk add jq',
    );
    expect(await run('apk-no-cache', text)).toMatchObject({ passed: true });
  });

  it('fails apk add that keeps its cache, naming the line', async () => {
    const result = await run('apk-no-cache', df('FROM alpine:3.20', 'RUN apk add curl', 'RUN rm -rf /var/cache/apk/*'));
    expect(lines(result)).toEqual([2]);
  });
});

describe('pip-no-cache', () => {
  it('passes --no-cache-dir, PIP_NO_CACHE_DIR from ENV, ARG or the RUN, and a cache mount', async () => {
    const text = df(
      'FROM python:3.12',
      'RUN python3 -m pip install --no-cache-dir flask==3.0.3',
      'RUN --mount=type=cache,target=/root/.cache/pip pip install requests==2.32.3',
      'RUN env PIP_NO_CACHE_DIR=yes pip install rich==13.7.1',
      'ARG PIP_NO_CACHE_DIR=1',
      'RUN pip install click==8.1.7',
    );
    expect(await run('pip-no-cache', text)).toMatchObject({ passed: true });
  });

  it('fails only the pip installs of the final image before the cache is turned off', async () => {
    const text = df(
      'FROM python:3.12 AS build',
      'RUN pip install build',
      'FROM python:3.12-slim',
      'RUN pip install flask',
      'ENV PIP_NO_CACHE_DIR=1',
      'RUN pip install gunicorn',
      'RUN pipx install black',
    );
    expect(lines(await run('pip-no-cache', text))).toEqual([4]);
  });
});

describe('pipefail', () => {
  it('passes set -o pipefail before the pipe and a SHELL inherited from the stage it is built FROM', async () => {
    const text = df(
      'FROM debian:12 AS base',
      'SHELL ["/bin/bash", "-o", "pipefail", "-c"]',
      'FROM base',
      'RUN curl -fsSL https://example.com | tar -xz',
      'FROM debian:12',
      'RUN set -euo pipefail; curl -fsSL https://example.com | tar -xz',
      'RUN curl -fsSL https://example.com || echo "a | b"',
      'RUN ["sh", "-c", "echo exec form | cat"]',
    );
    expect(await run('pipefail', text)).toMatchObject({ passed: true });
  });

  it('fails a pipe before set -o pipefail, a pipe in $(…), and ONBUILD RUN', async () => {
    const text = df(
      'FROM alpine:3.20',
      'RUN curl -fsSL https://example.com | sh; set -o pipefail',
      'RUN echo "$(cat /etc/os-release | head -1)"',
      'ONBUILD RUN wget -qO- https://example.com | sh',
    );
    const result = await run('pipefail', text);
    expect(lines(result)).toEqual([2, 3, 4]);
  });

  it('says when no RUN pipes', async () => {
    expect((await run('pipefail', df('FROM alpine:3.20', 'RUN echo hi'))).message).toBe('no RUN uses a pipe');
  });
});

describe('single-cmd', () => {
  it('names every repeated CMD and ENTRYPOINT per stage', async () => {
    const text = df(
      'FROM node:20 AS build',
      'CMD ["a"]',
      'FROM node:20',
      'ENTRYPOINT ["node"]',
      'CMD ["a.js"]',
      'ONBUILD CMD ["x"]',
      'ENTRYPOINT ["tini", "--", "node"]',
      'CMD ["b.js"]',
    );
    const result = await run('single-cmd', text);
    expect(lines(result)).toEqual([4, 5, 7, 8]);
    expect(result.message).toBe(
      'ENTRYPOINT appears more than once in one stage (lines 4, 7): only the last one takes effect; keep one; CMD appears more than once in one stage (lines 5, 8): only the last one takes effect; keep one',
    );
  });
});

describe('relative-copy-workdir', () => {
  it('fails COPY and ADD to a relative destination before any WORKDIR, in every stage', async () => {
    const text = df(
      'FROM node:20 AS build',
      'COPY package.json .',
      'WORKDIR /app',
      'COPY . .',
      'FROM nginx:1.27',
      'ADD --chown=1:1 site.tar.gz html/',
      'COPY --from=build ["/app/dist", "dist"]',
      'COPY nginx.conf /etc/nginx/conf.d/default.conf',
      'ONBUILD COPY extra extra',
    );
    const result = await run('relative-copy-workdir', text);
    expect(lines(result)).toEqual([2, 6, 7, 9]);
    expect(result.message).toContain('COPY on lines 2, 6, 7, 9');
  });

  it('counts an ONBUILD WORKDIR for ONBUILD COPY only', async () => {
    const text = df('FROM node:20', 'ONBUILD WORKDIR /app', 'ONBUILD COPY . .', 'COPY a b');
    expect(lines(await run('relative-copy-workdir', text))).toEqual([4]);
  });
});

describe('pinned-packages', () => {
  it('names the unpinned packages of every installer and every stage, and shows how to pin the first', async () => {
    const text = df(
      'FROM node:20 AS build',
      'RUN npm i express && npm ci',
      'FROM python:3.12-alpine',
      'RUN apk add --no-cache curl=8.9.1-r0 git',
      'RUN sudo apt-get install -y --no-install-recommends vim',
      'RUN pip install --no-cache-dir flask==3.0.3 gunicorn',
    );
    const result = await run('pinned-packages', text);
    expect(lines(result)).toEqual([2, 4, 5, 6]);
    expect(result.message).toBe(
      '`npm install` on line 2 installs "express" without a version; `apk add` on line 4 installs "git" without a version; ' +
        '`apt-get install` on line 5 installs "vim" without a version; `pip install` on line 6 installs "gunicorn" without a version, ' +
        'so each build may get different versions; pin them, e.g. "express@<version>"',
    );
  });

  it('quotes hostile package names and lists only the first few', async () => {
    const result = await run('pinned-packages', df('FROM python:3.12', 'RUN pip install "a\\"b" c d e f g h'));
    expect(result.message).toContain('installs "a\\"b", "c", "d", "e", "f", … without a version');
  });

  it('says when nothing is installed by name', async () => {
    expect((await run('pinned-packages', df('FROM node:20', 'RUN npm ci'))).message).toBe('no RUN installs apt, apk, pip or npm packages');
  });
});

describe('messages in Korean', () => {
  const careless = df(
    'FROM python:3.12-alpine',
    'ENV API_TOKEN=abc',
    'COPY app.py .',
    'RUN cd /tmp && sudo apk add curl && pip install flask && apt-get install -y vim && wget -qO- https://x | sh',
    'CMD ["a"]',
    'CMD ["b"]',
  );

  it.each([
    'no-secrets',
    'no-cd',
    'no-sudo',
    'no-install-recommends',
    'apk-no-cache',
    'pip-no-cache',
    'pipefail',
    'single-cmd',
    'relative-copy-workdir',
    'pinned-packages',
  ] as const)('%s speaks Korean, keeping lines and Dockerfile words as they are', async (rule) => {
    const english = await run(rule, careless);
    const korean = await withLocale('ko', () => run(rule, careless));
    expect(english.passed).toBe(false);
    expect(korean.passed).toBe(false);
    expect(korean.locations).toEqual(english.locations);
    expect(korean.message).toMatch(HANGUL);
    for (const line of lines(english)) expect(korean.message).toContain(`${line}`);
    expect(korean.message).toContain('번째 줄');
    const passing = await withLocale('ko', () => run(rule, df('FROM alpine:3.20', 'WORKDIR /app')));
    expect(passing.passed).toBe(true);
    expect(passing.message).toMatch(HANGUL);
  });
});
