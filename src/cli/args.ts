/** argv → a typed command. Usage mistakes are UserErrors (exit code 2). */
import { parseArgs } from 'node:util';
import { UserError } from '../basics/errors.js';
import { LOCALES, parseLocale, type Locale } from '../basics/i18n/catalogue.js';
import { CALIBRATE_USAGE, parseCalibrateCommand, type CalibrateCommand } from './calibrate-args.js';
import { CLASS_USAGE, parseClassCommand, type ClassCommand } from './class-args.js';

export type Command =
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'validate'; rubric: string }
  | ClassCommand
  | CalibrateCommand
  | {
      kind: 'grade';
      target: string;
      rubric: string;
      ref?: string;
      json?: string;
      markdown?: string;
      /** Classroom 50's result.json. */
      classroom50?: string;
      /** The language of the feedback, instead of the rubric's. */
      lang?: Locale;
      failUnder?: number;
      verbose: boolean;
      color?: boolean;
    };

export const DEFAULT_RUBRIC = 'web';

export const USAGE = `grader — grade a Dockerfile project against a rubric

Usage:
  grader [PATH | GIT-URL]      grade a submission (default: the current folder)
    --rubric FILE|NAME         a rubric file, or the name of a built-in rubric (default: ${DEFAULT_RUBRIC})
    --ref REF                  commit, branch or tag to grade when cloning
    --json FILE                write the results as JSON
    --markdown FILE            write the report that would be posted
    --classroom50 FILE         write Classroom 50's result.json (grader as a Classroom 50 autograder)
    --fail-under PERCENT       override the rubric's pass mark
    --lang LANG                the language of the feedback: ${LOCALES.join(' or ')} (default: the rubric's locale)
    --verbose                  show the build log and progress details
    --no-color                 plain text (also NO_COLOR=1)
  grader validate RUBRIC       check a rubric and exit

${CLASS_USAGE}

${CALIBRATE_USAGE}

  grader --help | --version

Exit codes: 0 graded and passed, 1 graded below the pass mark,
            2 usage or rubric error, 3 ungradable (engine or infrastructure).`;

export function parseCommand(argv: readonly string[]): Command {
  if (argv[0] === 'class') return parseClassCommand(argv.slice(1));
  if (argv[0] === 'calibrate') return parseCalibrateCommand(argv.slice(1));
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        rubric: { type: 'string', short: 'r' },
        ref: { type: 'string' },
        json: { type: 'string' },
        markdown: { type: 'string' },
        classroom50: { type: 'string' },
        lang: { type: 'string' },
        'fail-under': { type: 'string' },
        verbose: { type: 'boolean', short: 'v', default: false },
        color: { type: 'boolean' },
        'no-color': { type: 'boolean' },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', default: false },
      },
    });
  } catch (err) {
    throw new UserError(`${(err as Error).message}\n\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };

  if (positionals[0] === 'validate') {
    if (positionals.length !== 2) throw new UserError(`usage: grader validate RUBRIC`);
    return { kind: 'validate', rubric: positionals[1]! };
  }
  if (positionals.length > 1)
    throw new UserError(`expected one submission, got ${positionals.length}: ${positionals.join(' ')}\n\n${USAGE}`);

  const command: Command = {
    kind: 'grade',
    target: positionals[0] ?? '.',
    rubric: values.rubric ?? DEFAULT_RUBRIC,
    verbose: values.verbose ?? false,
  };
  if (values.ref) command.ref = values.ref;
  if (values.json) command.json = values.json;
  if (values.markdown) command.markdown = values.markdown;
  if (values.classroom50) command.classroom50 = values.classroom50;
  if (values.lang !== undefined) command.lang = parseLocale(values.lang, '--lang');
  if (values['no-color']) command.color = false;
  else if (values.color !== undefined) command.color = values.color;
  if (values['fail-under'] !== undefined) command.failUnder = parsePercent(values['fail-under']);
  return command;
}

function parsePercent(text: string): number {
  const value = Number(text.replace(/%$/, ''));
  if (!Number.isFinite(value) || value < 0 || value > 100)
    throw new UserError(`--fail-under takes a percentage from 0 to 100, got "${text}"`);
  return value;
}
