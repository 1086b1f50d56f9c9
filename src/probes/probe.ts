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

export interface ProbeContext {
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

export interface ProbeOutcome {
  status: 'passed' | 'failed' | 'error';
  message: string;
  expected?: string;
  actual?: string;
  output?: string;
  /** Places in the submission the result is about (the first is the main one). */
  locations?: SourceLocation[];
}

export interface Probe<S extends CheckSpec = CheckSpec> {
  kind: S['kind'];
  /** Decided per check, since `file` can read the repo or the image. */
  stage(spec: S): Stage;
  defaultTimeoutMs: number;
  run(check: Check<S>, ctx: ProbeContext): Promise<ProbeOutcome>;
}

export type ProbeRegistry = { [K in CheckSpec['kind']]: Probe<Extract<CheckSpec, { kind: K }>> };
