/**
 * The rubric as the grader uses it: validated, defaults applied, units parsed.
 * `load.ts` turns a rubric file (whose shape `rubric.schema.json` defines) into this.
 */
import type { Locale } from '../basics/i18n/catalogue.js';
import type { CheckKind } from '../basics/check-kinds.js';
import type { RuntimeLimits } from '../engine/engine.js';

/** A comparison of text. Every key given must hold. A plain string in the rubric means `contains`. */
export interface Matcher {
  equals?: string;
  contains?: string;
  matches?: string;
  not_contains?: string;
}

export type Visibility = 'visible' | 'hidden' | 'after_due';

export const DOCKERFILE_RULES = [
  'pinned-base',
  'non-root-user',
  'multi-stage',
  'healthcheck',
  'exec-form',
  'no-add',
  'apt-cleanup',
  'combined-apt',
  'workdir-absolute',
  'expose',
  'dockerignore',
  'no-secrets',
  'no-cd',
  'no-sudo',
  'no-install-recommends',
  'apk-no-cache',
  'pip-no-cache',
  'pipefail',
  'single-cmd',
  'relative-copy-workdir',
  'pinned-packages',
] as const;
export type DockerfileRule = (typeof DOCKERFILE_RULES)[number];

export interface FileSpec {
  kind: 'file';
  path: string;
  in: 'repo' | 'image';
  content?: Matcher;
}

/** How the instructions of one kind must match: at least one, every one (and at least one), or none of them. */
export const INSTRUCTION_MATCHES = ['any', 'all', 'none'] as const;
export type InstructionMatch = (typeof INSTRUCTION_MATCHES)[number];

export interface DockerfileSpec {
  kind: 'dockerfile';
  rule?: DockerfileRule;
  /** Several rules in one check: it earns the share of them that pass. */
  rules?: DockerfileRule[];
  /** An instruction keyword, upper case (e.g. `EXPOSE`); checks its occurrences' arguments against `args`, as `match` says. */
  instruction?: string;
  args?: Matcher;
  /** Undefined means `any`. */
  match?: InstructionMatch;
}

export interface BuildSpec {
  kind: 'build';
  maxTimeMs?: number;
}

export interface ImageSpec {
  kind: 'image';
  maxSizeBytes?: number;
  /** `non-root`, or a user name/uid that must be set. */
  user?: string;
  exposes?: number[];
  env?: Record<string, string>;
  labels?: Record<string, string>;
  workdir?: string;
  entrypoint?: string[];
  cmd?: string[];
  healthcheck?: boolean;
  maxLayers?: number;
}

/** One HTTP request to the running service and what its response must be. */
export interface HttpCase {
  path: string;
  port?: number;
  method: string;
  headers: Record<string, string>;
  data?: string;
  /** Expected status code; `any` accepts every response (the service answers HTTP). */
  status: number | 'any';
  body?: Matcher;
  json?: unknown;
  responseHeaders: Record<string, Matcher>;
}

/**
 * Without `cases`, the spec itself is the one request. With `cases`, each case is a request
 * of its own, the check earns the share of them that pass, and the spec's own request is unused.
 */
export interface HttpSpec extends HttpCase {
  kind: 'http';
  cases?: HttpCase[];
}

export interface TcpSpec {
  kind: 'tcp';
  port?: number;
}

export interface ExecSpec {
  kind: 'exec';
  command: string[];
  exitCode: number;
  stdout?: Matcher;
  stderr?: Matcher;
}

export interface RunSpec {
  kind: 'run';
  args: string[];
  stdin?: string;
  env: Record<string, string>;
  exitCode: number;
  stdout?: Matcher;
  stderr?: Matcher;
}

export interface LogsSpec {
  kind: 'logs';
  matcher: Matcher;
}

export interface StopSpec {
  kind: 'stop';
  withinMs: number;
}

export type CheckSpec = FileSpec | DockerfileSpec | BuildSpec | ImageSpec | HttpSpec | TcpSpec | ExecSpec | RunSpec | LogsSpec | StopSpec;

export type { CheckKind };

/** The specs and the one list of kinds must name the same kinds: each line fails to compile if they drift apart. */
type SameKinds<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const kindsAgree: SameKinds<CheckSpec['kind'], CheckKind> = true;
void kindsAgree;

export interface Check<S extends CheckSpec = CheckSpec> {
  id: string;
  name: string;
  points: number;
  required: boolean;
  feedback?: string;
  visibility: Visibility;
  /** Per-check time limit; undefined means the kind's default. */
  timeoutMs?: number;
  spec: S;
}

export interface ServiceConfig {
  /** Container port the http/tcp checks use by default; undefined: the image's first EXPOSEd port. */
  port?: number;
  env: Record<string, string>;
  command?: string[];
  ready: ReadyConfig;
}

/**
 * When the service counts as started. With none of `log`, `http` and `healthcheck`: when its
 * port accepts TCP connections; otherwise when every one of those given holds.
 */
export interface ReadyConfig {
  timeoutMs: number;
  /** A log line matches this pattern (RE2)… */
  log?: string;
  /** …on this many lines (each line counts once); absent: once, anywhere in the log. */
  logTimes?: number;
  /** A GET of `path` on the service port answers with `status`. */
  http?: { path: string; status: number };
  /** The image's HEALTHCHECK reports healthy. */
  healthcheck?: true;
}

export interface Rubric {
  version: 1;
  title: string;
  /** The language of the feedback: the rubric's `locale`, or what the user asked for instead. */
  locale: Locale;
  /** Where the rubric came from (a path, or `builtin:NAME`). */
  source: string;
  due?: Date;
  build: {
    dockerfile: string;
    context: string;
    args: Record<string, string>;
    timeoutMs: number;
  };
  service: ServiceConfig;
  limits: RuntimeLimits;
  /** Percent at or above which the run passes; undefined: every graded run passes. */
  pass?: number;
  checks: Check[];
  /** Things the user should hear about that did not stop loading (a limit lowered to the ceiling), with the rubric's file and line. */
  warnings?: string[];
}
