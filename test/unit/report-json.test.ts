import { describe, expect, it } from 'vitest';
import type { GradeResult } from '../../src/basics/results.js';
import { toJson } from '../../src/report/json.js';

const base: GradeResult = {
  checks: [
    {
      duration_ms: 3,
      hidden: undefined,
      location: { path: 'Dockerfile\x1b[31m', line: 3, endLine: 4 },
      output: 'body with `ticks` | pipes <b> and \x1b[1mbold\x1b[0m\0',
      actual: 'x',
      expected: 'y',
      message: 'm *not escaped*',
      max_points: 5,
      points: 0,
      status: 'failed',
      kind: 'http',
      name: '상태 확인',
      id: 'status',
    },
    {
      id: 'secret',
      name: 'Secret',
      kind: 'exec',
      status: 'passed',
      points: 1,
      max_points: 1,
      message: 'passed',
      hidden: true,
      output: 'LEAK',
      duration_ms: 1,
    },
  ],
  build: { log_tail: 'tail', ok: false, duration_ms: 10 },
  duration_ms: 20,
  passed: false,
  max_score: 6,
  percent: 16.7,
  score: 1,
  status: 'graded',
  submission: { source: 'https://github.com/s/hw' },
  rubric: { source: 'r.yml', title: 'T' },
  locale: 'en',
};

describe('toJson', () => {
  it('writes the contract keys in a fixed order, pretty printed, with a trailing newline', () => {
    const text = toJson(base);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.startsWith('{\n  "rubric": {')).toBe(true);
    const parsed = JSON.parse(text);
    expect(Object.keys(parsed)).toEqual([
      'rubric',
      'locale',
      'submission',
      'status',
      'score',
      'max_score',
      'percent',
      'passed',
      'duration_ms',
      'build',
      'checks',
    ]);
    expect(Object.keys(parsed.checks[0])).toEqual([
      'id',
      'name',
      'kind',
      'status',
      'points',
      'max_points',
      'message',
      'expected',
      'actual',
      'output',
      'location',
      'locations',
    ]);
    expect(parsed.submission).toEqual({ source: 'https://github.com/s/hw', commit: null, ref: null });
    expect(parsed.checks[0].location).toEqual({ path: 'Dockerfile', line: 3 });
    expect(parsed.checks[0].locations).toEqual([{ path: 'Dockerfile', line: 3 }]);
  });

  it('writes the commit graded and the ref asked for, cleaned', () => {
    const parsed = JSON.parse(toJson({ ...base, submission: { source: 's', commit: 'abc123', ref: 'hw1\x1b[2J' } }));
    expect(parsed.submission).toEqual({ source: 's', commit: 'abc123', ref: 'hw1' });
    expect(Object.keys(parsed.submission)).toEqual(['source', 'commit', 'ref']);
  });

  it('writes every place a check points at as `locations`, the first also as `location`', () => {
    const places = [
      { path: 'Dockerfile', line: 4 },
      { path: 'Dockerfile', line: 6, endLine: 7 },
      { path: 'docker/app.Dockerfile\x07', line: 2 },
    ];
    const check = { ...base.checks[0]!, location: places[0], locations: places };
    const parsed = JSON.parse(toJson({ ...base, checks: [check, { ...check, id: 'none', location: undefined, locations: undefined }] }));
    expect(parsed.checks[0].location).toEqual({ path: 'Dockerfile', line: 4 });
    expect(parsed.checks[0].locations).toEqual([
      { path: 'Dockerfile', line: 4 },
      { path: 'Dockerfile', line: 6 },
      { path: 'docker/app.Dockerfile\\x07', line: 2 },
    ]);
    expect(parsed.checks[1]).not.toHaveProperty('location');
    expect(parsed.checks[1]).not.toHaveProperty('locations');
  });

  it('cleans control characters but does not escape markdown', () => {
    const parsed = JSON.parse(toJson(base));
    expect(parsed.checks[0].output).toBe('body with `ticks` | pipes <b> and bold\uFFFD');
    expect(parsed.checks[0].message).toBe('m *not escaped*');
    expect(parsed.checks[0].name).toBe('상태 확인');
  });

  it('keeps details of hidden checks out', () => {
    const parsed = JSON.parse(toJson(base));
    expect(parsed.checks[1]).toEqual({
      id: 'secret',
      name: 'Secret',
      kind: 'exec',
      status: 'passed',
      points: 1,
      max_points: 1,
      message: 'passed',
      hidden: true,
    });
  });

  it('writes ungradable runs with null scores and the reason', () => {
    const parsed = JSON.parse(
      toJson({ ...base, status: 'ungradable', reason: 'engine down', score: null, percent: null, pass_threshold: 60, checks: [] }),
    );
    expect(parsed).toMatchObject({ status: 'ungradable', reason: 'engine down', score: null, percent: null, pass_threshold: 60 });
    expect(Object.keys(parsed).indexOf('reason')).toBe(Object.keys(parsed).indexOf('status') + 1);
  });
});
