/** argv of `grader class …` → a typed command. Usage mistakes are UserErrors (exit code 2). */
import { parseArgs } from 'node:util';
import { UserError } from '../basics/errors.js';
import { parseLocale, type Locale } from '../basics/i18n/catalogue.js';
import {
  DEFAULT_OUT_DIR,
  DEFAULT_TOKEN_ENV,
  defaultJobs,
  parseApiUrl,
  parseBranch,
  parseDeadline,
  parseEnvName,
  parseGradebooks,
  parseJobs,
} from '../class/class-options.js';
import { parseShard, type Shard } from '../class/shard.js';
import type { GradebookFormat } from '../report/gradebook-export.js';

export type ClassCommand =
  | {
      kind: 'class';
      roster: string;
      rubric: string;
      repo?: string;
      deadline?: Date;
      branch?: string;
      jobs: number;
      out: string;
      shard?: Shard;
      force: boolean;
      exports: GradebookFormat[];
      tokenEnv: string;
      apiUrl?: string;
      lang?: Locale;
      verbose: boolean;
      color?: boolean;
    }
  | { kind: 'class-merge'; dirs: string[]; out: string; exports: GradebookFormat[] };

export const CLASS_USAGE = `Grade a whole class:
  grader class ROSTER.csv --rubric FILE|NAME
    --repo PATTERN             the repository of a row that names none, e.g. 'course-org/hw1-{username}'
    --deadline ISO-8601        grade the last commit on the branch at the deadline (with a time zone, e.g. 2026-12-01T23:59+09:00)
    --branch NAME              the branch to grade (default: the repository's default branch)
    --jobs N                   submissions graded at once (default: ${defaultJobs()} on this machine)
    --out DIR                  output folder (default: ${DEFAULT_OUT_DIR}/)
    --shard I/K                grade the I-th of K stable slices of the roster (for a CI matrix)
    --force                    grade everything again, even what has not changed
    --export canvas|moodle     also write a gradebook import file (repeatable)
    --token-env NAME           environment variable holding the GitHub token (default: ${DEFAULT_TOKEN_ENV})
    --lang LANG                the language of the reports (default: the rubric's locale)
    --api-url URL              GitHub's API, e.g. https://github.example.edu/api/v3 for GitHub Enterprise Server
    --verbose, --no-color
  grader class merge DIR... --out DIR [--export canvas|moodle]
                               join the output folders of a sharded class into one`;

export function parseClassCommand(argv: readonly string[]): ClassCommand {
  if (argv[0] === 'merge') return parseMerge(argv.slice(1));
  const { values, positionals } = parse(argv, {
    rubric: { type: 'string', short: 'r' },
    repo: { type: 'string' },
    deadline: { type: 'string' },
    branch: { type: 'string' },
    jobs: { type: 'string', short: 'j' },
    out: { type: 'string', short: 'o' },
    shard: { type: 'string' },
    force: { type: 'boolean', default: false },
    export: { type: 'string', multiple: true },
    'token-env': { type: 'string' },
    'api-url': { type: 'string' },
    lang: { type: 'string' },
    verbose: { type: 'boolean', short: 'v', default: false },
    color: { type: 'boolean' },
    'no-color': { type: 'boolean' },
  });
  if (positionals.length !== 1) throw new UserError(`grader class takes one roster file, got ${positionals.length}\n\n${CLASS_USAGE}`);
  if (!values.rubric)
    throw new UserError(`grader class needs --rubric FILE|NAME: the class is graded against the instructor's rubric\n\n${CLASS_USAGE}`);
  const command: ClassCommand = {
    kind: 'class',
    roster: positionals[0]!,
    rubric: values.rubric,
    jobs: values.jobs === undefined ? defaultJobs() : parseJobs(values.jobs, '--jobs'),
    out: values.out ?? DEFAULT_OUT_DIR,
    force: values.force ?? false,
    exports: parseGradebooks(values.export ?? [], '--export'),
    tokenEnv: values['token-env'] === undefined ? DEFAULT_TOKEN_ENV : parseEnvName(values['token-env'], '--token-env'),
    verbose: values.verbose ?? false,
  };
  if (values.repo !== undefined) command.repo = values.repo;
  if (values.deadline !== undefined) command.deadline = parseDeadline(values.deadline, '--deadline');
  if (values.branch !== undefined) command.branch = parseBranch(values.branch, '--branch');
  if (values.shard !== undefined) command.shard = parseShard(values.shard);
  if (values['api-url'] !== undefined) command.apiUrl = parseApiUrl(values['api-url'], '--api-url');
  if (values.lang !== undefined) command.lang = parseLocale(values.lang, '--lang');
  if (values['no-color']) command.color = false;
  else if (values.color !== undefined) command.color = values.color;
  return command;
}

function parseMerge(argv: readonly string[]): ClassCommand {
  const { values, positionals } = parse(argv, { out: { type: 'string', short: 'o' }, export: { type: 'string', multiple: true } });
  if (positionals.length === 0) throw new UserError(`grader class merge takes the shards' output folders\n\n${CLASS_USAGE}`);
  if (!values.out) throw new UserError(`grader class merge needs --out DIR\n\n${CLASS_USAGE}`);
  return { kind: 'class-merge', dirs: positionals, out: values.out, exports: parseGradebooks(values.export ?? [], '--export') };
}

type Options = NonNullable<Parameters<typeof parseArgs>[0]>['options'];

function parse<O extends Options>(argv: readonly string[], options: O) {
  try {
    return parseArgs({ args: [...argv], allowPositionals: true, options, strict: true });
  } catch (err) {
    throw new UserError(`${(err as Error).message}\n\n${CLASS_USAGE}`);
  }
}
