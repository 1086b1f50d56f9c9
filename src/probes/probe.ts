/**
 * A probe runs one kind of check. Each kind lives in its own file and is listed
 * once in `registry.ts`, whose type makes the compiler prove every kind is handled.
 */
import type { SourceLocation } from '../basics/results.js';
import type { BuildOutcome, ContainerEngine, ImageInfo, RuntimeLimits, Service } from '../engine/engine.js';
import type { Check, CheckSpec, Rubric } from '../rubric/model.js';
import type { DockerfileModel } from './dockerfile/model.js';

/**
 * What a check needs to exist before it can run:
 * `repo` the files only, `image` a built image, `service` the running service container.
 */
export type Stage = 'repo' | 'image' | 'service';

/** What a stage offers each of its checks. */
export interface StageContext {
  rubric: Rubric;
  /** Absolute path of the submission's root folder. */
  repoDir: string;
  /** The parsed Dockerfile, or undefined when it is missing; `dockerfilePath` says where it was looked for. */
  dockerfile?: DockerfileModel;
  /** Set when the Dockerfile exists but the grader refused to read it (over its size limit): the reason, for the student. */
  dockerfileRefused?: string;
  /** Path of the Dockerfile relative to the repo root, `/`-separated. */
  dockerfilePath: string;
  engine: ContainerEngine;
  build?: BuildOutcome;
  image?: { ref: string; info: ImageInfo };
  service?: {
    handle: Service;
    /** The port http/tcp checks use when they name none. */
    defaultPort?: number;
  };
  limits: RuntimeLimits;
  /** Labels every container the probe creates must carry. */
  labels: Record<string, string>;
  signal: AbortSignal;
}

/** What a probe gets for one check: its stage's context, and the check's own time limit. */
export interface ProbeContext extends StageContext {
  /** The check's `timeout`, or its probe's default, times its probe's `timeLimits` (`timeLimitMs` in the registry). */
  timeoutMs: number;
}

export interface ProbeOutcome {
  status: 'passed' | 'failed' | 'error';
  message: string;
  expected?: string;
  actual?: string;
  output?: string;
  /** Places in the submission the result is about (the first is the main one). */
  locations?: SourceLocation[];
  /** For a check made of parts (several rules, several requests): how many passed. It earns that share of its points. */
  share?: { passed: number; of: number };
}

/**
 * When a check runs among the others of its stage:
 * `concurrent` at once with them; `one-at-a-time` after the earlier checks of its kind;
 * `after-requests` once the concurrent and one-at-a-time checks are done (it reads what
 * they caused), one at a time; `last` after all of those, one at a time (it ends the service).
 */
export type Schedule = 'concurrent' | 'one-at-a-time' | 'after-requests' | 'last';

export interface Probe<S extends CheckSpec = CheckSpec> {
  kind: S['kind'];
  /** Decided per check, since `file` can read the repo or the image. */
  stage(spec: S): Stage;
  schedule: Schedule;
  /** Runs even when its stage could not be reached, because it is the check that reports why (the build). */
  reportsUnreachableStage?: boolean;
  defaultTimeoutMs: number;
  /** How many time limits a check gets, each its `timeout` (or the default): one per request of a check made of several. Default 1. */
  timeLimits?(spec: S): number;
  run(check: Check<S>, ctx: ProbeContext): Promise<ProbeOutcome>;
}

export type ProbeRegistry = { [K in CheckSpec['kind']]: Probe<Extract<CheckSpec, { kind: K }>> };
