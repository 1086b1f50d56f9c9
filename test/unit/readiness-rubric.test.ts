/** `service.ready` in the rubric: its strategies normalized, and its mistakes placed on their line. */
import { describe, expect, it } from 'vitest';
import { RubricError, type RubricProblem } from '../../src/basics/errors.js';
import { parseRubric } from '../../src/rubric/load.js';

const HEAD = 'rubric: 1\ntitle: T\n';
const CHECKS = 'checks:\n  - { name: port, tcp: {} }\n';

const readyOf = (service: string) => parseRubric(`${HEAD}service: ${service}\n${CHECKS}`, 'r.yml').service.ready;

function problemsOf(service: string): Omit<RubricProblem, 'file'>[] {
  try {
    parseRubric(`${HEAD}service:\n${service}\n${CHECKS}`, 'r.yml');
  } catch (err) {
    expect(err).toBeInstanceOf(RubricError);
    return (err as RubricError).problems.map(({ file: _file, ...rest }) => rest);
  }
  throw new Error('expected the rubric to be rejected');
}

describe('service.ready strategies', () => {
  it('keeps a log pattern string as it was, and takes { matches } as the same', () => {
    expect(readyOf('{ ready: { log: "listening on \\\\d+" } }')).toStrictEqual({ timeoutMs: 60_000, log: 'listening on \\d+' });
    expect(readyOf('{ ready: { log: { matches: "listening" } } }')).toStrictEqual({ timeoutMs: 60_000, log: 'listening' });
    expect(readyOf('{ ready: { log: { matches: "listening", times: 1 } } }')).toStrictEqual({ timeoutMs: 60_000, log: 'listening' });
  });

  it('reads times, http with its defaults, healthcheck, all together', () => {
    expect(
      readyOf('{ ready: { timeout: 20s, log: { matches: "worker up", times: 4 }, http: { path: /health }, healthcheck: true } }'),
    ).toStrictEqual({
      timeoutMs: 20_000,
      log: 'worker up',
      logTimes: 4,
      http: { path: '/health', status: 200 },
      healthcheck: true,
    });
    expect(readyOf('{ ready: { http: {} } }').http).toStrictEqual({ path: '/', status: 200 });
    expect(readyOf('{ ready: { http: { path: /ready?deep=1, status: 204 } } }').http).toStrictEqual({ path: '/ready?deep=1', status: 204 });
    expect(readyOf('{ ready: { healthcheck: false } }')).toStrictEqual({ timeoutMs: 60_000 });
  });
});

describe('service.ready mistakes, positioned', () => {
  it('times must be at least 1, a whole number', () => {
    expect(problemsOf('  ready:\n    log: { matches: up, times: 0 }')).toEqual([
      { line: 5, column: 32, key: 'service.ready.log.times', message: 'must be at least 1, found 0' },
    ]);
    expect(problemsOf('  ready:\n    log: { matches: up, times: 1.5 }')).toEqual([
      { line: 5, column: 32, key: 'service.ready.log.times', message: 'must be a whole number, found 1.5' },
    ]);
  });

  it('the log object needs matches, and knows only matches and times', () => {
    expect(problemsOf('  ready:\n    log: { times: 2 }')).toEqual([
      { line: 5, column: 10, key: 'service.ready.log', message: 'missing required key "matches"' },
    ]);
    expect(problemsOf('  ready:\n    log: { matches: up, time: 2 }')).toEqual([
      { line: 5, column: 25, key: 'service.ready.log.time', message: 'unknown key "time"', suggestion: 'times' },
    ]);
    expect(problemsOf('  ready:\n    log: 3')).toEqual([
      { line: 5, column: 10, key: 'service.ready.log', message: 'must be text or a mapping, found 3' },
    ]);
  });

  it('a pattern RE2 cannot run is placed on matches', () => {
    expect(problemsOf('  ready:\n    log: { matches: "(a)\\\\1", times: 2 }')).toEqual([
      {
        line: 5,
        column: 21,
        key: 'service.ready.log.matches',
        message:
          'not a valid regular expression: invalid escape sequence: `\\1` (rubric patterns use RE2 syntax, which has no backreferences)',
      },
    ]);
  });

  it('http: a path starting with /, a status from 100 to 599, no other key', () => {
    expect(problemsOf('  ready:\n    http: { path: health }')).toEqual([
      { line: 5, column: 19, key: 'service.ready.http.path', message: 'must match the pattern ^/, found "health"' },
    ]);
    expect(problemsOf('  ready:\n    http: { status: 99 }')).toEqual([
      { line: 5, column: 21, key: 'service.ready.http.status', message: 'must be at least 100, found 99' },
    ]);
    expect(problemsOf('  ready:\n    http: { status: any }')).toEqual([
      { line: 5, column: 21, key: 'service.ready.http.status', message: 'must be a whole number, found "any"' },
    ]);
    expect(problemsOf('  ready:\n    http: { port: 8080 }')).toEqual([
      { line: 5, column: 13, key: 'service.ready.http.port', message: 'unknown key "port"' },
    ]);
  });

  it('healthcheck is true or false', () => {
    expect(problemsOf('  ready:\n    healthcheck: yes')).toEqual([
      { line: 5, column: 18, key: 'service.ready.healthcheck', message: 'must be true or false, found "yes"' },
    ]);
  });
});
