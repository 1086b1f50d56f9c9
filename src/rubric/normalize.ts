/**
 * Raw rubric data (already valid against the schema) → the Rubric the grader uses:
 * defaults applied, units parsed, matchers and commands in one shape. Also the checks the
 * schema cannot express (unique ids, regexes RE2 can run, real dates); every problem is
 * collected and thrown together, so nothing is built from a broken rubric.
 */
import { CHECK_KINDS } from '../basics/check-kinds.js';
import { RubricError } from '../basics/errors.js';
import type { RubricProblem } from '../basics/errors.js';
import { availableParallelism } from 'node:os';
import { formatBinaryBytes, parseDuration, parseSize } from '../basics/units.js';
import type {
  BuildSpec,
  Check,
  CheckKind,
  CheckSpec,
  DockerfileRule,
  DockerfileSpec,
  ExecSpec,
  FileSpec,
  HttpCase,
  HttpSpec,
  ImageSpec,
  InstructionMatch,
  LogsSpec,
  Matcher,
  ReadyConfig,
  Rubric,
  RunSpec,
  StopSpec,
  TcpSpec,
} from './model.js';
import type * as Raw from './schema.generated.js';
import type { RuntimeLimits } from '../engine/engine.js';
import { patternProblem } from './pattern.js';
import { assignIds } from './slug.js';
import { closest } from './suggest.js';
import { DEFAULT_LOCALE, LOCALES, isLocale, pickText, type Locale } from '../basics/i18n/catalogue.js';
import { formatPath, type KeyPath, type ProblemOptions, type RubricSource } from './source.js';

export const DEFAULTS = {
  dockerfile: 'Dockerfile',
  context: '.',
  buildTimeoutMs: 5 * 60_000,
  readyTimeoutMs: 60_000,
  memoryBytes: 512 * 1024 ** 2,
  cpus: 1,
  pids: 256,
  network: 'none',
  points: 1,
  visibility: 'visible',
  httpPath: '/',
  httpMethod: 'GET',
  httpStatus: 200,
  exitCode: 0,
  stopWithinMs: 5_000,
} as const;

/**
 * The most a rubric's `limits:` may ask for; more is lowered to these, with a warning
 * (the CPU ceiling is also never above the machine's count, which the engine refuses).
 */
export const LIMIT_CEILINGS = {
  memoryBytes: 4 * 1024 ** 3,
  cpus: 2,
  pids: 4096,
  diskBytes: 10 * 1024 ** 3,
} as const;

const MATCHER_KEYS = ['equals', 'contains', 'matches', 'not_contains'] as const;

/** Checks the rubric's semantics and builds the Rubric; throws a RubricError listing every problem. */
/** `locale` overrides the rubric's own `locale` (the CLI's --lang, the action's lang input). */
export function normalizeRubric(raw: Raw.RubricFile, source: RubricSource, origin: string, locale?: Locale): Rubric {
  const n = new Normalizer(source, locale);
  const rubric = n.rubric(raw, origin);
  if (n.problems.length > 0) {
    throw new RubricError(
      source.file,
      n.problems.sort((a, b) => a.line - b.line || a.column - b.column),
    );
  }
  if (n.warnings.length > 0) rubric.warnings = n.warnings;
  return rubric;
}

class Normalizer {
  readonly problems: RubricProblem[] = [];
  readonly warnings: string[] = [];

  private locale: Locale = DEFAULT_LOCALE;

  constructor(
    private readonly source: RubricSource,
    private readonly override?: Locale,
  ) {}

  rubric(raw: Raw.RubricFile, origin: string): Rubric {
    this.locale = this.override ?? this.rubricLocale(raw.locale);
    const due = raw.due === undefined ? undefined : this.date(raw.due, ['due']);
    const build = raw.build ?? {};
    const service = raw.service ?? {};
    const limits = raw.limits ?? {};
    const rubric: Rubric = {
      version: 1,
      title: this.text(raw.title, ['title']),
      locale: this.locale,
      source: origin,
      build: {
        dockerfile: build.dockerfile ?? DEFAULTS.dockerfile,
        context: build.context ?? DEFAULTS.context,
        args: texts(build.args),
        timeoutMs: this.duration(build.timeout, ['build', 'timeout']) ?? DEFAULTS.buildTimeoutMs,
      },
      service: compact({
        port: service.port,
        env: texts(service.env),
        command: service.command === undefined ? undefined : commandLine(service.command),
        ready: this.ready(service.ready ?? {}),
      }),
      limits: this.limits(limits),
      checks: this.checks(raw.checks, due !== undefined),
    };
    if (due !== undefined) rubric.due = due;
    if (raw.pass !== undefined) rubric.pass = raw.pass;
    return rubric;
  }

  private ready(raw: NonNullable<NonNullable<Raw.RubricFile['service']>['ready']>): ReadyConfig {
    const path: KeyPath = ['service', 'ready'];
    const log = typeof raw.log === 'string' ? { matches: raw.log } : raw.log;
    const logPath: KeyPath = typeof raw.log === 'string' ? [...path, 'log'] : [...path, 'log', 'matches'];
    return compact<ReadyConfig>({
      timeoutMs: this.duration(raw.timeout, [...path, 'timeout']) ?? DEFAULTS.readyTimeoutMs,
      log: log === undefined ? undefined : this.regex(log.matches, logPath),
      logTimes: log?.times !== undefined && log.times > 1 ? log.times : undefined,
      http:
        raw.http === undefined ? undefined : { path: raw.http.path ?? DEFAULTS.httpPath, status: raw.http.status ?? DEFAULTS.httpStatus },
      healthcheck: raw.healthcheck === true ? true : undefined,
    });
  }

  private limits(raw: NonNullable<Raw.RubricFile['limits']>): RuntimeLimits {
    const cpuCeiling = Math.min(LIMIT_CEILINGS.cpus, availableParallelism());
    const memory = this.size(raw.memory, ['limits', 'memory']);
    const disk = this.size(raw.disk, ['limits', 'disk']);
    return compact<RuntimeLimits>({
      memoryBytes: this.capped(memory ?? DEFAULTS.memoryBytes, LIMIT_CEILINGS.memoryBytes, ['limits', 'memory'], formatBinaryBytes),
      cpus: this.capped(raw.cpus ?? DEFAULTS.cpus, cpuCeiling, ['limits', 'cpus'], (n) => `${n} CPU${n === 1 ? '' : 's'}`),
      pids: this.capped(raw.pids ?? DEFAULTS.pids, LIMIT_CEILINGS.pids, ['limits', 'pids'], (n) => `${n} processes`),
      network: raw.network ?? DEFAULTS.network,
      diskBytes: disk === undefined ? undefined : this.capped(disk, LIMIT_CEILINGS.diskBytes, ['limits', 'disk'], formatBinaryBytes),
    });
  }

  /** `value`, or the ceiling with a warning when it asks for more. */
  private capped(value: number, ceiling: number, path: KeyPath, show: (n: number) => string): number {
    if (value <= ceiling) return value;
    const { line } = this.source.positionOf(path);
    this.warnings.push(
      `${this.source.file}:${line}: ${path.join('.')} asks for ${show(value)}, more than the grader allows; using ${show(ceiling)}`,
    );
    return ceiling;
  }

  private checks(raws: Raw.Check[], hasDue: boolean): Check[] {
    const firstWithId = new Map<string, number>();
    raws.forEach((raw, index) => {
      if (raw.id === undefined) return;
      const first = firstWithId.get(raw.id);
      if (first === undefined) firstWithId.set(raw.id, index);
      else {
        const line = this.source.positionOf(['checks', first]).line;
        this.problem(['checks', index, 'id'], `duplicate id "${raw.id}": checks[${first}] (line ${line}) already uses it`);
      }
    });
    // Ids come from the English name, so that they stay the same whatever language the report is in.
    const ids = assignIds(
      raws.map((raw) => ({ ...(raw.id !== undefined ? { id: raw.id } : {}), name: pickText(raw.name, DEFAULT_LOCALE) })),
    );
    return raws.map((raw, index) => this.check(raw, index, ids[index]!, hasDue));
  }

  private check(raw: Raw.Check, index: number, id: string, hasDue: boolean): Check {
    const at: KeyPath = ['checks', index];
    const visibility = raw.visibility ?? DEFAULTS.visibility;
    if (visibility === 'after_due' && !hasDue) {
      this.problem([...at, 'visibility'], '"after_due" needs a top-level "due" date; add one or use "hidden"');
    }
    return compact({
      id,
      name: this.text(raw.name, [...at, 'name']),
      points: raw.points ?? DEFAULTS.points,
      required: raw.required ?? false,
      feedback: raw.feedback === undefined ? undefined : this.text(raw.feedback, [...at, 'feedback']),
      visibility,
      timeoutMs: this.duration(raw.timeout, [...at, 'timeout']),
      spec: this.spec(raw, at),
    });
  }

  private spec(raw: Raw.Check, at: KeyPath): CheckSpec {
    const kind = kindOf(raw);
    const path = [...at, kind];
    switch (kind) {
      case 'file':
        return this.file(raw.file!, path);
      case 'dockerfile':
        return this.dockerfile(raw.dockerfile!, path);
      case 'build':
        return this.build(raw.build, path);
      case 'image':
        return this.image(raw.image!, path);
      case 'http':
        return this.http(raw.http!, path);
      case 'tcp':
        return compact<TcpSpec>({ kind: 'tcp', port: raw.tcp?.port });
      case 'exec':
        return this.exec(raw.exec!, path);
      case 'run':
        return this.run(raw.run!, path);
      case 'logs':
        return { kind: 'logs', matcher: this.matcher(raw.logs!, path) } satisfies LogsSpec;
      case 'stop':
        return { kind: 'stop', withinMs: this.duration(raw.stop?.within, [...path, 'within']) ?? DEFAULTS.stopWithinMs } satisfies StopSpec;
    }
  }

  private file(raw: Raw.FileCheck, path: KeyPath): FileSpec {
    return compact<FileSpec>({ kind: 'file', path: raw.path, in: raw.in ?? 'repo', content: this.flatMatcher(raw, path) });
  }

  private dockerfile(raw: Raw.DockerfileCheck, path: KeyPath): DockerfileSpec {
    if (raw.rule !== undefined) return { kind: 'dockerfile', rule: raw.rule };
    if (raw.rules !== undefined) return { kind: 'dockerfile', rules: this.ruleList(raw.rules, [...path, 'rules']) };
    const instruction = raw.instruction?.toUpperCase();
    const args = this.flatMatcher(raw, path);
    if (args?.not_contains !== undefined && instruction !== undefined) this.negatedMatch(raw.match ?? 'any', instruction, args, path);
    return compact<DockerfileSpec>({ kind: 'dockerfile', instruction, args, match: raw.match });
  }

  private ruleList(raw: DockerfileRule[], path: KeyPath): DockerfileRule[] {
    raw.forEach((rule, index) => {
      const first = raw.indexOf(rule);
      if (first < index) this.problem([...path, index], `rule "${rule}" is already listed (${formatPath([...path, first])})`);
    });
    return raw;
  }

  /**
   * `not_contains` under `any` (the default) passes as soon as one instruction lacks the text,
   * and under `none` asks that every one contains it: both read like the opposite of what they do.
   */
  private negatedMatch(match: InstructionMatch, keyword: string, args: Matcher, path: KeyPath): void {
    const text = JSON.stringify(args.not_contains);
    if (match === 'any') {
      this.warn(
        [...path, 'not_contains'],
        `with match: any (the default), not_contains passes as soon as one ${keyword} lacks ${text}; ` +
          `to forbid ${text} in every ${keyword}, write match: none with contains: ${text}`,
      );
    } else if (match === 'none' && args.contains === undefined && args.equals === undefined && args.matches === undefined) {
      this.warn(
        [...path, 'not_contains'],
        `with match: none, not_contains passes only when every ${keyword} contains ${text}; ` +
          `if that is meant, match: all with contains: ${text} says it plainly`,
      );
    }
  }

  private build(raw: Raw.BuildCheck | undefined, path: KeyPath): BuildSpec {
    const maxTime = typeof raw === 'object' && raw !== null ? raw.max_time : undefined;
    return compact<BuildSpec>({ kind: 'build', maxTimeMs: this.duration(maxTime, [...path, 'max_time']) });
  }

  private image(raw: Raw.ImageCheck, path: KeyPath): ImageSpec {
    return compact<ImageSpec>({
      kind: 'image',
      maxSizeBytes: this.size(raw.max_size, [...path, 'max_size']),
      user: raw.user,
      exposes: raw.exposes,
      env: raw.env === undefined ? undefined : texts(raw.env),
      labels: raw.labels === undefined ? undefined : texts(raw.labels),
      workdir: raw.workdir,
      entrypoint: raw.entrypoint === undefined ? undefined : commandLine(raw.entrypoint),
      cmd: raw.cmd === undefined ? undefined : commandLine(raw.cmd),
      healthcheck: raw.healthcheck,
      maxLayers: raw.max_layers,
    });
  }

  /** A single request, or `cases` (each a request of its own), never both. */
  private http(raw: Raw.HttpCheck, path: KeyPath): HttpSpec {
    if (raw.cases === undefined) return { kind: 'http', ...this.httpCase(raw, path) };
    for (const key of Object.keys(raw)) {
      if (key !== 'cases') {
        this.problem([...path, key], `"${key}" cannot be used together with "cases": write it in each case instead`, { anchor: 'key' });
      }
    }
    const cases = raw.cases.map((item, index) => this.httpCase(item, [...path, 'cases', index]));
    return { kind: 'http', ...this.httpCase({}, path), cases };
  }

  private httpCase(raw: Raw.HttpCase, path: KeyPath): HttpCase {
    const headers = texts(raw.headers);
    let data: string | undefined;
    if (typeof raw.data === 'string') data = raw.data;
    else if (raw.data !== undefined) {
      data = JSON.stringify(raw.data);
      if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
    }
    const responseHeaders: Record<string, Matcher> = {};
    for (const [name, matcher] of Object.entries(raw.response_headers ?? {})) {
      responseHeaders[name] = this.matcher(matcher, [...path, 'response_headers', name]);
    }
    return compact<HttpCase>({
      path: raw.path ?? DEFAULTS.httpPath,
      port: raw.port,
      method: raw.method ?? DEFAULTS.httpMethod,
      headers,
      data,
      status: raw.status === 'any' || typeof raw.status === 'number' ? raw.status : DEFAULTS.httpStatus,
      body: raw.body === undefined ? undefined : this.matcher(raw.body, [...path, 'body']),
      json: raw.json,
      responseHeaders,
    });
  }

  private exec(raw: Raw.ExecCheck, path: KeyPath): ExecSpec {
    return compact<ExecSpec>({
      kind: 'exec',
      command: commandLine(raw.command),
      exitCode: raw.exit_code ?? DEFAULTS.exitCode,
      stdout: raw.stdout === undefined ? undefined : this.matcher(raw.stdout, [...path, 'stdout']),
      stderr: raw.stderr === undefined ? undefined : this.matcher(raw.stderr, [...path, 'stderr']),
    });
  }

  private run(raw: Raw.RunCheck, path: KeyPath): RunSpec {
    return compact<RunSpec>({
      kind: 'run',
      args: (raw.args ?? []).map(String),
      stdin: raw.stdin,
      env: texts(raw.env),
      exitCode: raw.exit_code ?? DEFAULTS.exitCode,
      stdout: raw.stdout === undefined ? undefined : this.matcher(raw.stdout, [...path, 'stdout']),
      stderr: raw.stderr === undefined ? undefined : this.matcher(raw.stderr, [...path, 'stderr']),
    });
  }

  /** A plain string means "contains". */
  private matcher(raw: Raw.Matcher, path: KeyPath): Matcher {
    if (typeof raw !== 'object') return { contains: String(raw) };
    return this.flatMatcher(raw, path) ?? {};
  }

  /** The matcher keys written directly on a file/dockerfile check (or in a matcher object); undefined when none. */
  private flatMatcher(raw: Partial<Record<(typeof MATCHER_KEYS)[number], Raw.Text>>, path: KeyPath): Matcher | undefined {
    const matcher: Matcher = {};
    for (const key of MATCHER_KEYS) {
      const value = raw[key];
      if (value === undefined) continue;
      matcher[key] = key === 'matches' ? this.regex(String(value), [...path, key]) : String(value);
    }
    return Object.keys(matcher).length > 0 ? matcher : undefined;
  }

  private regex(pattern: string, path: KeyPath): string {
    const problem = patternProblem(pattern);
    if (problem !== undefined) this.problem(path, problem);
    return pattern;
  }

  private duration(value: Raw.Duration | undefined, path: KeyPath): number | undefined {
    if (value === undefined) return undefined;
    const ms = parseDuration(value);
    if (ms === undefined)
      this.problem(path, `must be a duration such as 30s, 5m, 500ms or a number of seconds, found ${JSON.stringify(value)}`);
    return ms;
  }

  private size(value: Raw.Size | undefined, path: KeyPath): number | undefined {
    if (value === undefined) return undefined;
    const bytes = parseSize(value);
    if (bytes === undefined)
      this.problem(path, `must be a size such as 250MB, 512m, 1GiB or a number of bytes, found ${JSON.stringify(value)}`);
    return bytes;
  }

  /**
   * A date alone means the end of that day (UTC), so `after_due` details never show early;
   * a time without an offset is UTC, so the result does not depend on the machine's time zone.
   */
  private date(value: string, path: KeyPath): Date | undefined {
    const match = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](.*))?$/.exec(value.trim());
    const [, y, m, d, time] = match ?? [];
    const day = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
    const realDay =
      match !== null && day.getUTCFullYear() === Number(y) && day.getUTCMonth() === Number(m) - 1 && day.getUTCDate() === Number(d);
    let date: Date | undefined;
    if (realDay) {
      const withOffset =
        time === undefined ? undefined : /([Zz]|[+-]\d{2}:?\d{2})$/.test(time) ? time.replace(/([+-]\d{2})(\d{2})$/, '$1:$2') : `${time}Z`;
      date = new Date(withOffset === undefined ? `${y}-${m}-${d}T23:59:59.999Z` : `${y}-${m}-${d}T${withOffset}`);
      if (Number.isNaN(date.getTime())) date = undefined;
    }
    if (date === undefined)
      this.problem(path, `not a real date: ${JSON.stringify(value)} (write e.g. 2025-06-01 or 2025-06-01T23:59:00+09:00)`);
    return date;
  }

  private rubricLocale(value: string | undefined): Locale {
    if (value === undefined) return DEFAULT_LOCALE;
    if (isLocale(value)) return value;
    this.problem(['locale'], `unknown language "${value}"${hint(value, LOCALES)}; use one of ${LOCALES.join(', ')}`);
    return DEFAULT_LOCALE;
  }

  /** Instructor text in the report's language; a map naming a language the grader does not know is a problem. */
  private text(value: Raw.LocalText, path: KeyPath): string {
    if (typeof value !== 'string') {
      for (const language of Object.keys(value)) {
        if (!isLocale(language)) {
          this.problem([...path, language], `unknown language "${language}"${hint(language, LOCALES)}; use one of ${LOCALES.join(', ')}`);
        }
      }
    }
    return pickText(value, this.locale);
  }

  private problem(path: KeyPath, message: string, options?: ProblemOptions): void {
    this.problems.push(this.source.problem(path, message, options));
  }

  /** Something that loads but is likely not what the author meant: `file:line: key: message`. */
  private warn(path: KeyPath, message: string): void {
    const { line } = this.source.positionOf(path, 'key');
    this.warnings.push(`${this.source.file}:${line}: ${formatPath(path)}: ${message}`);
  }
}

/** The check's kind key; the schema guarantees exactly one. */
function kindOf(raw: Raw.Check): CheckKind {
  const kind = CHECK_KINDS.find((key) => key in raw);
  if (kind === undefined) throw new Error(`check "${raw.name}" has no kind key although it passed the schema`);
  return kind;
}

function texts(map: Raw.TextMap | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(map ?? {}).map(([key, value]) => [key, String(value)]));
}

/** A list is exec form as is; a string is shell form, stored the way Docker stores `CMD cmd args`. */
function commandLine(raw: Raw.CommandLine): string[] {
  return typeof raw === 'string' ? ['/bin/sh', '-c', raw] : raw.map(String);
}

/** Drops keys whose value is undefined, so results compare cleanly and print without noise. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function hint(value: string, known: readonly string[]): string {
  const suggestion = closest(value, known);
  return suggestion ? ` (did you mean "${suggestion}"?)` : '';
}
