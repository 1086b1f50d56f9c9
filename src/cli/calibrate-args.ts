/** argv of `grader calibrate …` → a typed command. Usage mistakes are UserErrors (exit code 2). */
import { parseArgs } from 'node:util';
import { UserError } from '../basics/errors.js';
import { defaultJobs, parseJobs } from '../class/class-options.js';

export interface CalibrateCommand {
  kind: 'calibrate';
  solution: string;
  rubric: string;
  json?: string;
  markdown?: string;
  mutations?: string;
  jobs: number;
  verbose: boolean;
}

export const CALIBRATE_USAGE = `Check that a rubric catches typical mistakes:
  grader calibrate SOLUTION_DIR --rubric FILE|NAME
                               grade the reference solution (it must score 100%), then copies of it
                               with one typical mistake each, and show which checks caught which mistake
    --json FILE                write the calibration as JSON
    --markdown FILE            write it as markdown
    --mutations FILE           more mistakes to try, from a YAML file (see rubrics/README.md)
    --jobs N                   mutants graded at once (default: ${defaultJobs()} on this machine)
    --verbose                  show each grading's progress`;

export function parseCalibrateCommand(argv: readonly string[]): CalibrateCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        rubric: { type: 'string', short: 'r' },
        json: { type: 'string' },
        markdown: { type: 'string' },
        mutations: { type: 'string' },
        jobs: { type: 'string', short: 'j' },
        verbose: { type: 'boolean', short: 'v', default: false },
      },
    });
  } catch (err) {
    throw new UserError(`${(err as Error).message}\n\n${CALIBRATE_USAGE}`);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1)
    throw new UserError(`grader calibrate takes one solution folder, got ${positionals.length}\n\n${CALIBRATE_USAGE}`);
  if (!values.rubric) throw new UserError(`grader calibrate needs --rubric FILE|NAME: the rubric to calibrate\n\n${CALIBRATE_USAGE}`);
  return {
    kind: 'calibrate',
    solution: positionals[0]!,
    rubric: values.rubric,
    jobs: values.jobs === undefined ? defaultJobs() : parseJobs(values.jobs, '--jobs'),
    verbose: values.verbose ?? false,
    ...(values.json ? { json: values.json } : {}),
    ...(values.markdown ? { markdown: values.markdown } : {}),
    ...(values.mutations ? { mutations: values.mutations } : {}),
  };
}
