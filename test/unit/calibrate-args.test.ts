import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/basics/errors.js';
import { USAGE, parseCommand } from '../../src/cli/args.js';
import { defaultJobs } from '../../src/class/class-options.js';

describe('grader calibrate arguments', () => {
  it('reads every option', () => {
    expect(
      parseCommand([
        'calibrate',
        'solution',
        '--rubric',
        'hw1.yml',
        '--json',
        'c.json',
        '--markdown',
        'c.md',
        '--mutations',
        'm.yml',
        '--jobs',
        '3',
        '--verbose',
      ]),
    ).toEqual({
      kind: 'calibrate',
      solution: 'solution',
      rubric: 'hw1.yml',
      json: 'c.json',
      markdown: 'c.md',
      mutations: 'm.yml',
      jobs: 3,
      verbose: true,
    });
  });

  it('defaults the jobs as a class run does', () => {
    expect(parseCommand(['calibrate', 'solution', '--rubric', 'web'])).toEqual({
      kind: 'calibrate',
      solution: 'solution',
      rubric: 'web',
      jobs: defaultJobs(),
      verbose: false,
    });
  });

  it('refuses a missing rubric, no folder or two, bad jobs and unknown options', () => {
    expect(() => parseCommand(['calibrate', 'solution'])).toThrow(/grader calibrate needs --rubric FILE\|NAME/);
    expect(() => parseCommand(['calibrate', '--rubric', 'web'])).toThrow(/takes one solution folder, got 0/);
    expect(() => parseCommand(['calibrate', 'a', 'b', '--rubric', 'web'])).toThrow(/takes one solution folder, got 2/);
    expect(() => parseCommand(['calibrate', 'a', '--rubric', 'web', '--jobs', '0'])).toThrow(
      '--jobs takes a whole number from 1 to 64, got "0"',
    );
    expect(() => parseCommand(['calibrate', 'a', '--rubric', 'web', '--mutation', 'm.yml'])).toThrow(UserError);
  });

  it('is in the usage text', () => {
    expect(USAGE).toContain('grader calibrate SOLUTION_DIR --rubric FILE|NAME');
    expect(USAGE).toContain('--mutations FILE');
  });
});
