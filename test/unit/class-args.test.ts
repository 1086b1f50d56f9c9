import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/basics/errors.js';
import { parseCommand } from '../../src/cli/args.js';
import { defaultJobs, parseDeadline } from '../../src/class/class-options.js';

describe('grader class arguments', () => {
  it('reads every option of a class run', () => {
    const command = parseCommand([
      'class',
      'roster.csv',
      '--rubric',
      'hw1.yml',
      '--repo',
      'course/hw1-{username}',
      '--deadline',
      '2026-12-01T23:59:00+09:00',
      '--branch',
      'main',
      '--jobs',
      '3',
      '--out',
      'out',
      '--shard',
      '2/3',
      '--force',
      '--export',
      'canvas',
      '--export',
      'moodle',
      '--token-env',
      'CLASS_TOKEN',
      '--api-url',
      'https://ghe.example.edu/api/v3/',
    ]);
    expect(command).toMatchObject({
      kind: 'class',
      roster: 'roster.csv',
      rubric: 'hw1.yml',
      repo: 'course/hw1-{username}',
      branch: 'main',
      jobs: 3,
      out: 'out',
      shard: { index: 2, count: 3 },
      force: true,
      exports: ['canvas', 'moodle'],
      tokenEnv: 'CLASS_TOKEN',
      apiUrl: 'https://ghe.example.edu/api/v3',
    });
    expect(command.kind === 'class' && command.deadline?.toISOString()).toBe('2026-12-01T14:59:00.000Z');
  });

  it('has defaults: grades/, GITHUB_TOKEN, jobs for this machine, no export', () => {
    expect(parseCommand(['class', 'r.csv', '--rubric', 'web'])).toMatchObject({
      out: 'grades',
      tokenEnv: 'GITHUB_TOKEN',
      jobs: defaultJobs(),
      exports: [],
      force: false,
    });
  });

  it('reads class merge', () => {
    expect(parseCommand(['class', 'merge', 'a', 'b', '--out', 'all', '--export', 'canvas'])).toEqual({
      kind: 'class-merge',
      dirs: ['a', 'b'],
      out: 'all',
      exports: ['canvas'],
    });
  });

  it.each([
    [['class', 'r.csv'], /needs --rubric/],
    [['class', '--rubric', 'web'], /one roster file, got 0/],
    [['class', 'a.csv', 'b.csv', '--rubric', 'web'], /one roster file, got 2/],
    [['class', 'r.csv', '--rubric', 'web', '--jobs', '0'], /--jobs takes a whole number/],
    [['class', 'r.csv', '--rubric', 'web', '--export', 'blackboard'], /--export takes canvas or moodle/],
    [['class', 'r.csv', '--rubric', 'web', '--token-env', 'A B'], /--token-env takes the name/],
    [['class', 'r.csv', '--rubric', 'web', '--api-url', 'https://user:pw@ghe.example.edu'], /must not carry a user/],
    [['class', 'r.csv', '--rubric', 'web', '--branch=--upload-pack=x'], /not a branch name/],
    [['class', 'r.csv', '--rubric', 'web', '--shard', '3/2'], UserError],
    [['class', 'r.csv', '--rubric', 'web', '--json', 'x'], /Unknown option '--json'/],
    [['class', 'merge', 'a'], /needs --out/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseCommand(argv)).toThrow(message);
  });
});

describe('deadlines', () => {
  it('need a time zone', () => {
    expect(parseDeadline('2026-12-01T14:59:00Z', '--deadline').toISOString()).toBe('2026-12-01T14:59:00.000Z');
    expect(parseDeadline('2026-12-01T23:59+0900', '--deadline').toISOString()).toBe('2026-12-01T14:59:00.000Z');
    for (const text of ['2026-12-01T23:59', '2026-12-01', 'tomorrow', '2026-13-01T00:00Z']) {
      expect(() => parseDeadline(text, '--deadline')).toThrow(/with a time zone/);
    }
  });
});

describe('default jobs', () => {
  it('runs more gradings than cores, within 2 to 8', () => {
    expect(defaultJobs(1)).toBe(2);
    expect(defaultJobs(2)).toBe(4);
    expect(defaultJobs(16)).toBe(8);
  });
});
