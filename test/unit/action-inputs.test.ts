import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/basics/errors.js';
import {
  basicAuthHeader,
  parseClassSettings,
  parseFailUnder,
  parseReports,
  parseSettings,
  type RawInputs,
} from '../../src/action/inputs.js';

const env = { workspace: '/home/runner/work/hw/hw', serverUrl: 'https://github.com' };
// What the runner hands over when a workflow sets nothing: action.yml's defaults.
const defaults: RawInputs = {
  rubric: 'web',
  path: '.',
  repository: '',
  ref: '',
  token: 'ghs_x',
  report: 'comment, check, summary',
  failUnder: '',
  lang: '',
  roster: '',
  repoPattern: '',
  deadline: '',
  branch: '',
  jobs: '',
  out: 'grades',
  shard: '',
  export: '',
};

describe('parseSettings', () => {
  it('grades the workspace with a built-in rubric and reports everywhere by default', () => {
    const settings = parseSettings(defaults, env);
    expect(settings).toMatchObject({ rubric: 'web', target: env.workspace, localDir: env.workspace, token: 'ghs_x' });
    expect([...settings.reports]).toEqual(['comment', 'check', 'summary']);
    expect(settings.failUnder).toBeUndefined();
    expect(settings.ref).toBeUndefined();
    expect(settings.cloneAuthHeader).toBeUndefined();
  });

  it('names the submission owner/repo (and sub-folder) in reports, not the runner path', () => {
    const withRepo = { ...env, repository: 'kim/docker-hw' };
    expect(parseSettings(defaults, withRepo).displaySource).toBe('kim/docker-hw');
    expect(parseSettings({ ...defaults, path: 'homework' }, withRepo).displaySource).toBe('kim/docker-hw/homework');
    expect(parseSettings({ ...defaults, repository: 'course/student-42' }, withRepo).displaySource).toBe('course/student-42');
  });

  it('treats empty inputs (a caller that bypasses action.yml) like the defaults', () => {
    const settings = parseSettings({ ...emptyInputs() }, env);
    expect(settings.rubric).toBe('web');
    expect(settings.target).toBe(env.workspace);
    expect(settings.reports.size).toBe(3);
  });

  it('resolves the rubric and path inputs against the workspace, keeping built-in names', () => {
    const settings = parseSettings({ ...defaults, rubric: '.github/grader/rubric.yml', path: 'homework' }, env);
    expect(settings.rubric).toBe(path.join(env.workspace, '.github/grader/rubric.yml'));
    expect(settings.target).toBe(path.join(env.workspace, 'homework'));
    expect(parseSettings({ ...defaults, rubric: 'cli' }, env).rubric).toBe('cli');
  });

  it('clones another repository over https with the token in a header, never in the URL', () => {
    const settings = parseSettings({ ...defaults, repository: 'course/student-42', ref: 'main', token: 'ghs_secret' }, env);
    expect(settings.target).toBe('https://github.com/course/student-42.git');
    expect(settings.target).not.toContain('ghs_secret');
    expect(settings.localDir).toBeUndefined();
    expect(settings.ref).toBe('main');
    expect(settings.cloneAuthHeader).toBe(basicAuthHeader('ghs_secret'));
    const encoded = settings.cloneAuthHeader!.split(' ').at(-1)!;
    expect(Buffer.from(encoded, 'base64').toString()).toBe('x-access-token:ghs_secret');
  });

  it('refuses a repository that is not owner/name', () => {
    for (const repository of ['student-42', 'https://evil.example/x/y', 'a/b/c', 'a/..']) {
      expect(() => parseSettings({ ...defaults, repository }, env)).toThrow(UserError);
    }
    expect(parseSettings({ ...defaults, repository: 'course/hw.git' }, env).target).toBe('https://github.com/course/hw.git');
  });
});

describe('parseReports', () => {
  it('accepts commas, spaces and new lines, in any case', () => {
    expect([...parseReports('check,summary')]).toEqual(['check', 'summary']);
    expect([...parseReports('Summary\ncomment')]).toEqual(['summary', 'comment']);
    expect([...parseReports('all')]).toEqual(['comment', 'check', 'summary']);
    expect(parseReports('none').size).toBe(0);
  });

  it('names the unknown report and the choices', () => {
    expect(() => parseReports('comment, annotations')).toThrow(/unknown report "annotations" \(use any of comment, check, summary/);
  });
});

describe('parseFailUnder', () => {
  it('reads a percentage, with or without %', () => {
    expect(parseFailUnder('')).toBeUndefined();
    expect(parseFailUnder('75')).toBe(75);
    expect(parseFailUnder(' 62.5% ')).toBe(62.5);
    expect(parseFailUnder('0')).toBe(0);
  });

  it('refuses anything else', () => {
    for (const value of ['-1', '101', 'sixty', 'NaN']) expect(() => parseFailUnder(value)).toThrow(/fail-under/);
  });
});

function emptyInputs(): RawInputs {
  return Object.fromEntries(Object.keys(defaults).map((key) => [key, ''])) as unknown as RawInputs;
}

describe('parseClassSettings', () => {
  it('is off without a roster', () => {
    expect(parseClassSettings(defaults, env)).toBeUndefined();
  });

  it('reads the class inputs, paths relative to the workspace', () => {
    const settings = parseClassSettings(
      {
        ...defaults,
        rubric: 'rubrics/hw1.yml',
        roster: 'roster.csv',
        repoPattern: 'course/hw1-{username}',
        deadline: '2026-12-01T23:59:00+09:00',
        jobs: '3',
        shard: '2/4',
        export: 'canvas, moodle',
      },
      { ...env, apiUrl: 'https://ghe.example.edu/api/v3' },
    );
    expect(settings).toMatchObject({
      rubric: path.join(env.workspace, 'rubrics/hw1.yml'),
      roster: path.join(env.workspace, 'roster.csv'),
      repoPattern: 'course/hw1-{username}',
      jobs: 3,
      out: path.join(env.workspace, 'grades'),
      shard: { index: 2, count: 4 },
      exports: ['canvas', 'moodle'],
      token: 'ghs_x',
      apiUrl: 'https://ghe.example.edu/api/v3',
    });
    expect(settings?.deadline?.toISOString()).toBe('2026-12-01T14:59:00.000Z');
  });

  it('refuses a deadline without a time zone, a bad shard, an unknown gradebook', () => {
    const withRoster = { ...defaults, roster: 'roster.csv' };
    expect(() => parseClassSettings({ ...withRoster, deadline: '2026-12-01T23:59' }, env)).toThrow(/input "deadline".*time zone/);
    expect(() => parseClassSettings({ ...withRoster, shard: '5/4' }, env)).toThrow(UserError);
    expect(() => parseClassSettings({ ...withRoster, export: 'blackboard' }, env)).toThrow(/input "export" takes canvas or moodle/);
    expect(() => parseClassSettings({ ...withRoster, jobs: '0' }, env)).toThrow(/input "jobs"/);
  });
});
