import { describe, expect, it } from 'vitest';
import { expandVariables, finalStageChain, parseDockerfile, parseImageReference } from '../../src/probes/dockerfile/model.js';

describe('parseDockerfile', () => {
  it('numbers lines from 1 and covers continuations with line/endLine', () => {
    const df = parseDockerfile(
      [
        '# a comment',
        'FROM node:20-alpine',
        '',
        'RUN apt-get update && \\',
        '    # a comment inside',
        '    apt-get install -y curl',
        'CMD ["node", "app.js"]',
      ].join('\n'),
      'Dockerfile',
    );
    const run = df.instructions.find((i) => i.keyword === 'RUN')!;
    expect(run.line).toBe(4);
    expect(run.endLine).toBe(6);
    expect(run.args).toBe('apt-get update && apt-get install -y curl');
    expect(df.instructions.map((i) => [i.keyword, i.line])).toEqual([
      ['FROM', 2],
      ['RUN', 4],
      ['CMD', 7],
    ]);
  });

  it('upper-cases keywords and handles CRLF', () => {
    const df = parseDockerfile('from python:3.12\r\nworkdir /app\r\ncmd python app.py\r\n', 'sub/Dockerfile');
    expect(df.instructions.map((i) => i.keyword)).toEqual(['FROM', 'WORKDIR', 'CMD']);
    expect(df.instructions[1]!.args).toBe('/app');
    expect(df.instructions[2]!.line).toBe(3);
    expect(df.path).toBe('sub/Dockerfile');
  });

  it('tells JSON (exec) form from shell form as Docker does', () => {
    const df = parseDockerfile(
      ['FROM node:20', 'CMD ["node", "app.js"]', "ENTRYPOINT ['node', 'app.js']", 'RUN npm ci', 'SHELL ["/bin/bash", "-c"]'].join('\n'),
      'Dockerfile',
    );
    const [, cmd, entrypoint, run, shell] = df.instructions;
    expect(cmd!.json).toBe(true);
    expect(cmd!.words).toEqual(['node', 'app.js']);
    expect(entrypoint!.json).toBe(false); // single quotes are not JSON
    expect(run!.json).toBe(false);
    expect(shell!.json).toBe(true);
  });

  it('parses flags apart from the arguments', () => {
    const df = parseDockerfile(
      [
        'FROM node:20 AS build',
        'FROM node:20-slim',
        'COPY --from=build --chown=node:node --chmod=755 /app /app',
        'RUN --mount=type=cache,target=/root/.npm npm ci',
      ].join('\n'),
      'Dockerfile',
    );
    const copy = df.instructions.find((i) => i.keyword === 'COPY')!;
    expect(copy.flags).toEqual([
      { name: 'from', value: 'build' },
      { name: 'chown', value: 'node:node' },
      { name: 'chmod', value: '755' },
    ]);
    expect(copy.words).toEqual(['/app', '/app']);
    expect(copy.args).toBe('--from=build --chown=node:node --chmod=755 /app /app');
    expect(copy.argsAfterFlags).toBe('/app /app');
    const run = df.instructions.find((i) => i.keyword === 'RUN')!;
    expect(run.flags).toEqual([{ name: 'mount', value: 'type=cache,target=/root/.npm' }]);
    expect(run.argsAfterFlags).toBe('npm ci');
  });

  it('splits stages with base image, AS name, line and their instructions', () => {
    const df = parseDockerfile(
      [
        'ARG NODE=20',
        'FROM node:${NODE} AS Build',
        'RUN npm ci',
        'FROM --platform=linux/amd64 nginx:1.27-alpine',
        'COPY --from=build /app/dist /usr/share/nginx/html',
      ].join('\n'),
      'Dockerfile',
    );
    expect(df.stages.map((s) => ({ index: s.index, image: s.image, name: s.name, line: s.line, n: s.instructions.length }))).toEqual([
      { index: 0, image: 'node:${NODE}', name: 'Build', line: 2, n: 2 },
      { index: 1, image: 'nginx:1.27-alpine', name: undefined, line: 4, n: 2 },
    ]);
    expect(df.instructions[0]!.stage).toBe(-1);
    expect(df.instructions[2]!.stage).toBe(0);
    expect(df.globalArgs).toEqual({ NODE: '20' });
  });

  it('reads parser directives and the escape character', () => {
    const df = parseDockerfile(
      [
        '# syntax=docker/dockerfile:1',
        '# escape=`',
        'FROM mcr.microsoft.com/windows/servercore:ltsc2022',
        'RUN dir `',
        '  C:\\',
        'WORKDIR C:\\app',
      ].join('\n'),
      'Dockerfile',
    );
    expect(df.directives.syntax).toEqual({ value: 'docker/dockerfile:1', line: 1 });
    expect(df.escape).toBe('`');
    const run = df.instructions.find((i) => i.keyword === 'RUN')!;
    expect([run.line, run.endLine, run.args]).toEqual([4, 5, 'dir C:\\']);
  });

  it('survives heredocs, empty instructions and garbage', () => {
    const df = parseDockerfile(
      ['FROM alpine:3.20', 'RUN <<EOF', 'echo hi', 'EOF', 'USER', 'ADD', 'NOTAKEYWORD foo', 'CMD ["unterminated"'].join('\n'),
      'Dockerfile',
    );
    const run = df.instructions.find((i) => i.keyword === 'RUN')!;
    expect([run.line, run.endLine]).toEqual([2, 4]);
    expect(run.args).toBe('<<EOF\necho hi\nEOF');
    expect(df.instructions.find((i) => i.keyword === 'USER')!.args).toBe('');
    expect(df.instructions.find((i) => i.keyword === 'CMD')!.json).toBe(false);
    expect(parseDockerfile('', 'Dockerfile').stages).toEqual([]);
  });

  it('ignores a byte-order mark', () => {
    const df = parseDockerfile('\uFEFFFROM node:20\nCMD ["node"]', 'Dockerfile');
    expect(df.stages).toHaveLength(1);
    expect(df.instructions[0]!.keyword).toBe('FROM');
  });

  it('never throws on arbitrary text', () => {
    const pieces = [
      'FROM',
      'RUN',
      '\\',
      '\n',
      '<<EOF',
      'EOF',
      '[',
      '"',
      "'",
      '#',
      ' ',
      '$',
      '{',
      '}',
      '--flag=',
      'AS',
      '\r\n',
      '\u0000',
      '한국어',
    ];
    let seed = 42;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let n = 0; n < 300; n++) {
      const text = Array.from({ length: 40 }, () => pieces[next() % pieces.length]).join('');
      expect(() => parseDockerfile(text, 'Dockerfile')).not.toThrow();
    }
  });

  it('gives ENV and LABEL words as name=value pairs', () => {
    const df = parseDockerfile('FROM alpine:3.20\nLABEL maintainer="Kim <kim@example.com>" version=1\nENV PORT=3000', 'Dockerfile');
    expect(df.instructions[1]!.words).toEqual(['maintainer=Kim <kim@example.com>', 'version=1']);
    expect(df.instructions[2]!.words).toEqual(['PORT=3000']);
  });

  it('follows the final stage back through the stages it is built FROM', () => {
    const df = parseDockerfile('FROM node:20 AS base\nFROM base AS deps\nFROM golang:1.22 AS other\nFROM DEPS\n', 'Dockerfile');
    expect(finalStageChain(df).map((s) => s.index)).toEqual([3, 1, 0]);
  });
});

describe('expandVariables', () => {
  it('expands $VAR, ${VAR}, defaults and alternatives', () => {
    const vars = { A: 'x', EMPTY: '', NULL: null };
    expect(expandVariables('$A-${A}', vars)).toEqual({ value: 'x-x', unresolved: [] });
    expect(expandVariables('${EMPTY:-d}/${A:-d}/${A:+alt}/${NULL:+alt}', vars).value).toBe('d/x/alt/');
    expect(expandVariables('node:${MISSING}', vars)).toEqual({ value: 'node:', unresolved: ['MISSING'] });
  });
});

describe('parseImageReference', () => {
  it('splits name, tag and digest, keeping registry ports in the name', () => {
    expect(parseImageReference('node')).toEqual({ name: 'node' });
    expect(parseImageReference('node:20-alpine')).toEqual({ name: 'node', tag: '20-alpine' });
    expect(parseImageReference('localhost:5000/app')).toEqual({ name: 'localhost:5000/app' });
    expect(parseImageReference('ghcr.io/o/app:1@sha256:abc')).toEqual({ name: 'ghcr.io/o/app', tag: '1', digest: 'sha256:abc' });
  });
});
