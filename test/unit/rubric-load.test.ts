import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RubricError, type RubricProblem } from '../../src/basics/errors.js';
import { loadRubric, parseRubric } from '../../src/rubric/load.js';
import type { Check, Rubric } from '../../src/rubric/model.js';
import { summarizeRubric, validateRubric } from '../../src/cli/validate-command.js';

/** The problems of a rubric that must not load. */
function problemsOf(text: string, file: string): RubricProblem[] {
  try {
    parseRubric(text, file);
  } catch (err) {
    expect(err).toBeInstanceOf(RubricError);
    return (err as RubricError).problems;
  }
  throw new Error(`${file} loaded, but it has a problem`);
}

const fixture = (name: string) => new URL(`../fixtures/rubrics/${name}`, import.meta.url);
const FULL_YML = fixture('full.yml').pathname;
const FULL_JSON = fixture('full.json').pathname;

const check = (id: string, name: string, spec: Check['spec'], extra: Partial<Check> = {}): Check => ({
  id,
  name,
  points: 1,
  required: false,
  visibility: 'visible',
  spec,
  ...extra,
});

const FULL_CHECKS: Check[] = [
  check('has-dockerfile', 'Dockerfile is present', { kind: 'file', path: 'Dockerfile', in: 'repo' }, { points: 5, required: true }),
  check(
    'readme-mentions-docker',
    'README mentions docker',
    { kind: 'file', path: 'README.md', in: 'repo', content: { contains: 'docker', not_contains: 'TODO' } },
    { points: 0, feedback: 'Explain how to run it.' },
  ),
  check('app-file-in-image', 'App file in image', { kind: 'file', path: '/app/app.py', in: 'image', content: { matches: '^import' } }),
  check('base-image-pinned', 'Base image pinned', { kind: 'dockerfile', rule: 'pinned-base' }),
  check('expose-8080', 'EXPOSE 8080', { kind: 'dockerfile', instruction: 'EXPOSE', args: { equals: '8080' } }),
  check('builds', 'Builds', { kind: 'build', maxTimeMs: 90_000 }, { required: true }),
  check('builds-again', 'Builds again', { kind: 'build' }),
  check(
    'small-image',
    'Small image',
    {
      kind: 'image',
      maxSizeBytes: 250_000_000,
      user: 'non-root',
      exposes: [8080],
      env: { GREETING: 'hi' },
      labels: { maintainer: 'kim' },
      workdir: '/app',
      entrypoint: ['python3'],
      cmd: ['/bin/sh', '-c', 'app.py --port 8080'],
      healthcheck: true,
      maxLayers: 20,
    },
    { visibility: 'hidden' },
  ),
  check(
    'health-endpoint',
    'Health endpoint',
    {
      kind: 'http',
      path: '/api/health',
      port: 8081,
      method: 'POST',
      headers: { 'X-Token': 'abc', 'Content-Type': 'application/json' },
      data: '{"name":"kim"}',
      status: 201,
      body: { contains: 'ok' },
      json: { status: 'ok', nested: { n: 1 } },
      responseHeaders: { 'Content-Type': { contains: 'application/json' }, 'X-Count': { matches: '^\\d+$' } },
    },
    { points: 10, visibility: 'after_due', timeoutMs: 3000 },
  ),
  check('root-page', 'Root page', { kind: 'http', path: '/', method: 'GET', headers: {}, status: 200, responseHeaders: {} }),
  check('port-open', 'Port open', { kind: 'tcp', port: 8080 }),
  check('port-open-2', 'Port open', { kind: 'tcp' }),
  check('env-visible', 'Env visible', { kind: 'exec', command: ['printenv', 'GREETING'], exitCode: 0, stdout: { equals: 'hi' } }),
  check('shell-exec', 'Shell exec', {
    kind: 'exec',
    command: ['/bin/sh', '-c', 'echo $GREETING | wc -c'],
    exitCode: 0,
    stderr: { not_contains: 'error' },
  }),
  check('cli-adds', 'CLI adds', {
    kind: 'run',
    args: ['add', '2', '3'],
    stdin: 'x\n',
    env: { MODE: 'test' },
    exitCode: 0,
    stdout: { contains: '5' },
    stderr: { contains: '' },
  }),
  check('cli-default', 'CLI default', { kind: 'run', args: [], env: {}, exitCode: 0 }),
  check('logs-say-listening', 'Logs say listening', { kind: 'logs', matcher: { contains: 'listening' } }),
  check('no-errors-in-logs', 'No errors in logs', { kind: 'logs', matcher: { not_contains: 'Traceback' } }),
  check('도커파일-존재', '도커파일 존재', { kind: 'file', path: 'Dockerfile', in: 'repo' }),
  check('stops-cleanly', 'Stops cleanly', { kind: 'stop', withinMs: 10_000 }),
  check('stops', 'Stops', { kind: 'stop', withinMs: 5_000 }),
];

const FULL: Omit<Rubric, 'source' | 'checks'> = {
  version: 1,
  title: 'Dockerfile mini project',
  locale: 'en',
  due: new Date('2025-06-01T14:59:00Z'),
  build: { dockerfile: 'docker/Dockerfile', context: 'app', args: { VERSION: '1.2', DEBUG: 'false' }, timeoutMs: 120_000 },
  service: {
    port: 8080,
    env: { GREETING: 'hi', PORT: '8080' },
    command: ['python3', 'app.py'],
    ready: { timeoutMs: 30_000, log: 'listening on \\d+' },
  },
  limits: { memoryBytes: 256 * 1024 ** 2, cpus: 0.5, pids: 128, network: 'internet' },
  pass: 60,
};

describe('a full rubric', () => {
  it('normalizes every kind, default and unit exactly (YAML)', async () => {
    const rubric = await loadRubric(FULL_YML);
    expect(rubric).toStrictEqual({ ...FULL, source: FULL_YML, checks: FULL_CHECKS });
  });

  it('gives the same rubric from the same structure in JSON, and places its problems on JSON lines', async () => {
    const rubric = await loadRubric(FULL_JSON);
    expect(rubric).toStrictEqual({ ...FULL, source: FULL_JSON, checks: FULL_CHECKS });
    const broken = readFileSync(FULL_JSON, 'utf8').replace('"points": 5,', '"points": "five",');
    const line = broken.split('\n').findIndex((text) => text.includes('"points": "five"')) + 1;
    expect(line).toBeGreaterThan(1);
    expect(problemsOf(broken, 'full.json')).toMatchObject([{ line, key: 'checks[0].points' }]);
  });
});

describe('defaults', () => {
  it('fills in build, service, limits and check defaults', () => {
    const rubric = parseRubric('rubric: 1\ntitle: Minimal\nchecks:\n  - name: Builds\n    build:\n', 'min.yml');
    expect(rubric).toStrictEqual({
      version: 1,
      title: 'Minimal',
      locale: 'en',
      source: 'min.yml',
      build: { dockerfile: 'Dockerfile', context: '.', args: {}, timeoutMs: 300_000 },
      service: { env: {}, ready: { timeoutMs: 60_000 } },
      limits: { memoryBytes: 512 * 1024 ** 2, cpus: 1, pids: 256, network: 'none' },
      checks: [{ id: 'builds', name: 'Builds', points: 1, required: false, visibility: 'visible', spec: { kind: 'build' } }],
    } satisfies Rubric);
  });

  it('reads a date without time as the end of that day (UTC) and a time without offset as UTC', () => {
    const due = (value: string) => parseRubric(`rubric: 1\ntitle: T\ndue: "${value}"\nchecks: [{name: a, build: true}]\n`, 'd.yml').due;
    expect(due('2025-06-01')).toEqual(new Date('2025-06-01T23:59:59.999Z'));
    expect(due('2025-06-01T08:30')).toEqual(new Date('2025-06-01T08:30:00Z'));
    expect(due('2025-06-01 08:30:00+0900')).toEqual(new Date('2025-05-31T23:30:00Z'));
  });

  it('stringifies numbers and booleans where text is expected', () => {
    const rubric = parseRubric(
      'rubric: 1\ntitle: T\nchecks:\n  - name: r\n    run: { args: [1, true], stdout: { equals: 1.5 } }\n',
      'n.yml',
    );
    expect(rubric.checks[0]!.spec).toStrictEqual({ kind: 'run', args: ['1', 'true'], env: {}, exitCode: 0, stdout: { equals: '1.5' } });
  });

  it('resolves YAML anchors, aliases and merge keys', () => {
    const text = `rubric: 1\ntitle: T\nchecks:\n  - name: a\n    http: &req { path: /x, headers: { A: b } }\n  - name: b\n    http: { <<: *req, status: 404 }\n`;
    expect(parseRubric(text, 'a.yml').checks[1]!.spec).toMatchObject({ kind: 'http', path: '/x', headers: { A: 'b' }, status: 404 });
  });

  it('accepts a BOM and CRLF line endings', () => {
    const rubric = parseRubric('\uFEFFrubric: 1\r\ntitle: T\r\nchecks:\r\n  - name: a\r\n    tcp:\r\n', 'crlf.yml');
    expect(rubric.checks[0]).toMatchObject({ id: 'a', spec: { kind: 'tcp' } });
    expect(problemsOf('\uFEFFrubric: 1\r\ntitle: T\r\nchecks:\r\n  - name: a\r\n    tcp: { port: x }\r\n', 'crlf.yml')).toMatchObject([
      { line: 5, key: 'checks[0].tcp.port' },
    ]);
  });
});

describe('ids', () => {
  const ids = (names: string[], explicit: Record<number, string> = {}) => {
    const checks = names.map(
      (name, i) => `  - name: ${JSON.stringify(name)}\n${explicit[i] ? `    id: ${explicit[i]}\n` : ''}    build: true\n`,
    );
    return parseRubric(`rubric: 1\ntitle: T\nchecks:\n${checks.join('')}`, 'ids.yml').checks.map((c) => c.id);
  };

  it('slugs names of any script, lowercased, other runs become "-"', () => {
    expect(ids(['Dockerfile is present', '도커파일이 존재함!', 'EXPOSE  8080 / tcp', 'Ünïcode ✓ check', '***'])).toEqual([
      'dockerfile-is-present',
      '도커파일이-존재함',
      'expose-8080-tcp',
      'ünïcode-check',
      'check',
    ]);
  });

  it('numbers generated duplicates and never takes an explicit id', () => {
    expect(ids(['Builds', 'Builds', 'Other', 'Builds'], { 2: 'builds-2' })).toEqual(['builds', 'builds-3', 'builds-2', 'builds-4']);
  });
});

describe('validateRubric', () => {
  it('returns the rubric with a one-line summary', async () => {
    const { rubric, summary } = await validateRubric(FULL_YML);
    expect(rubric.checks).toHaveLength(21);
    expect(summary).toBe('full.yml: 21 checks, 33 points, pass 60%');
  });

  it('summarizes without a pass mark and with singular nouns', () => {
    const rubric = parseRubric('rubric: 1\ntitle: T\nchecks: [{name: a, build: true}]\n', 'one.yml');
    expect(summarizeRubric(rubric, 'one.yml')).toBe('one.yml: 1 check, 1 point');
  });
});
