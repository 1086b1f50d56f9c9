/**
 * The container engine as the grader sees it. `docker-engine.ts` implements it with
 * dockerode and is the only module that imports dockerode; unit tests use fakes.
 * Every resource an engine creates carries the labels it is given, so that
 * `cleanup(runId)` and `sweepStale()` can find it again.
 */

export interface EngineInfo {
  version: string;
  apiVersion: string;
  operatingSystem: string;
  /** BuildKit can be used through the API (`version: '2'` builds). */
  buildkit: boolean;
  /** The host cannot route to container IPs (Docker Desktop and friends). */
  desktop: boolean;
}

export interface BuildRequest {
  /** Absolute path of the build context. */
  contextDir: string;
  /** Path of the Dockerfile relative to `contextDir` (`/`-separated), may point outside via `../` only if inside the repo. */
  dockerfile: string;
  /** The Dockerfile's text as the caller read and checked it: exactly what is built (the file is not read again). */
  dockerfileText: string;
  /** The image the Dockerfile's `# syntax=` directive names, if any: a failure to fetch it is told apart. */
  frontend?: string;
  /** The grading run: keeps the build's cache mounts apart from every other run's. */
  runId: string;
  buildArgs: Record<string, string>;
  tag: string;
  labels: Record<string, string>;
  timeoutMs: number;
  /** Called with each line of build output, as it arrives. */
  onLog?: (line: string) => void;
  signal?: AbortSignal;
  /** Memory (no swap) and CPUs of each build step's container; default BUILD_LIMITS. Only the classic builder applies them. */
  limits?: BuildLimits;
}

export interface BuildLimits {
  memoryBytes: number;
  cpus: number;
}

/** Ceiling for build steps: package installs need more than the 512 MiB a service gets. */
export const BUILD_LIMITS: BuildLimits = { memoryBytes: 2 * 1024 ** 3, cpus: 2 };

/** Why a build gave no image, as facts: the build check words them for the student. */
export type BuildFailure = { ok: false; logTail: string; durationMs: number } & (
  | {
      /** The builder stopped with an error: a step failed, or it refused the Dockerfile. */
      reason: 'failed';
      /** The builder's error text, without BuildKit's wrapping (`failed to solve: `…). */
      error: string;
      /** The step that failed, as the builder names it (`RUN npm ci`, `[build 3/5] RUN npm ci`), whitespace collapsed. */
      failingStep?: string;
      /** The classic builder's step number of `failingStep` (1-based): tells identical instructions apart. */
      stepNumber?: number;
      /** The Dockerfile line the builder's error names (a parse error); a failing step's line is for the caller to find. */
      line?: number;
    }
  | {
      /** The image a `# syntax=` directive names could not be fetched. */
      reason: 'frontend-unavailable';
      frontend: string;
      error: string;
    }
  | { reason: 'timeout'; limitMs: number }
  | { reason: 'cancelled' }
  | { reason: 'context-too-large'; context: OversizedContext }
  | {
      /** The grader will not build it as it is (over a limit, another run's image, an unusable .dockerignore); the message says why. */
      reason: 'refused';
      message: string;
      line?: number;
    }
  | {
      /** The Dockerfile or the context is not where the rubric says. */
      reason: 'no-dockerfile';
      message: string;
    }
);

export type BuildOutcome = { ok: true; imageId: string; durationMs: number; logTail: string } | BuildFailure;

/** A build context over its limits, measured before anything was sent. */
export interface OversizedContext {
  files: number;
  bytes: number;
  /** False when counting stopped far past the limits: the real figures are higher. */
  complete: boolean;
  maxFiles: number;
  maxBytes: number;
  /** The top-level entries holding the most, largest first. */
  largest: { name: string; files: number; bytes: number }[];
}

export interface ImageInfo {
  id: string;
  sizeBytes: number;
  /** `Config.User`; empty means root. */
  user: string;
  exposedPorts: number[];
  env: Record<string, string>;
  labels: Record<string, string>;
  workdir: string;
  entrypoint: string[] | null;
  cmd: string[] | null;
  healthcheck: boolean;
  layers: number;
  /** `Config.Volumes`: the paths the image declares as VOLUME, sorted. */
  volumes: string[];
}

export type ImageFile = { kind: 'file'; content: Buffer; truncated: boolean } | { kind: 'missing' } | { kind: 'other'; type: string }; // a directory, link, device…

export interface RuntimeLimits {
  memoryBytes: number;
  cpus: number;
  pids: number;
  network: 'none' | 'internet';
  /** Most the container may write (its writable layer and its VOLUME paths together) before it is killed; default DEFAULT_DISK_BYTES. */
  diskBytes?: number;
}

/** Disk ceiling when the rubric names none. */
export const DEFAULT_DISK_BYTES = 1024 ** 3;

/**
 * Why the grader killed a container: its time limit (or stop grace) ran out ('time'), it
 * wrote more than its disk limit ('disk'), or it made more files or deeper directories
 * than the disk watch measures ('files', also a disk limit).
 */
export type KillReason = 'time' | 'disk' | 'files';

/** The most kept of one output stream, and of a file or response body a check reads; the rest is counted, not stored. */
export const OUTPUT_CAP_BYTES = 1024 * 1024;

/** Captured output: stored up to a cap while the stream keeps being drained. */
export interface CapturedText {
  text: string;
  /** Bytes seen in total, stored or not. */
  bytes: number;
  truncated: boolean;
}

export interface ExitInfo {
  exitCode: number;
  oomKilled: boolean;
  /** Set when the grader killed it: which limit made it (time limit or stop grace, disk limit). */
  killedFor?: KillReason;
  /** Set (true) when a fork failed because the container hit its pids limit at some point. */
  pidsLimitHit?: boolean;
}

export interface Listener {
  port: number;
  /** Bound only to 127.0.0.1 / ::1: unreachable from outside the container. */
  loopback: boolean;
}

export interface ServiceRequest {
  image: string;
  env: Record<string, string>;
  command?: string[];
  /** Container ports the grader must be able to reach, EXPOSEd or not. */
  ports: number[];
  /** Run the image's HEALTHCHECK (every second), which is otherwise switched off, so that `health()` can tell. */
  healthcheck?: boolean;
  limits: RuntimeLimits;
  labels: Record<string, string>;
  name?: string;
}

/** What the container's HEALTHCHECK says so far. */
export interface HealthState {
  /** `none`: the container runs no health check. */
  status: 'starting' | 'healthy' | 'unhealthy' | 'none';
  /** The latest run of the check, when there has been one: its exit code and output (capped by the engine). */
  last?: { exitCode: number; output: string };
}

export interface Service {
  readonly id: string;
  /** Where the grader connects to reach `containerPort`. */
  address(containerPort: number): Promise<{ host: string; port: number }>;
  /** Everything the container printed so far, stdout and stderr interleaved, capped. */
  logs(): CapturedText;
  /** TCP sockets the container listens on, when the engine's host can tell; undefined otherwise. */
  listeners(): Promise<Listener[] | undefined>;
  /** The HEALTHCHECK's verdict so far (see ServiceRequest.healthcheck); undefined once the container has stopped. */
  health(): Promise<HealthState | undefined>;
  /** Called for each complete line the container prints from now on. Returns an unsubscribe function. */
  onLogLine(listener: (line: string) => void): () => void;
  /** Resolves when the container exits, for whatever reason. */
  exited(): Promise<ExitInfo>;
  /** Whether a fork in the container has failed on its pids limit so far (it may still be running). Optional for fakes. */
  pidsLimitHit?(): boolean;
  /** The exit, if it has happened. */
  exitInfo(): ExitInfo | undefined;
  exec(command: string[], options: { timeoutMs: number; outputCap?: number }): Promise<ProcessOutcome>;
  /** Sends SIGTERM and waits up to `graceMs`; kills after that. */
  stop(graceMs: number): Promise<{ exitedInTime: boolean; elapsedMs: number; exit: ExitInfo }>;
}

export interface RunRequest {
  image: string;
  args: string[];
  stdin?: string;
  env: Record<string, string>;
  limits: RuntimeLimits;
  labels: Record<string, string>;
  timeoutMs: number;
  outputCap?: number;
}

export interface ProcessOutcome {
  exitCode: number | null;
  stdout: CapturedText;
  stderr: CapturedText;
  oomKilled: boolean;
  /** Set when the grader killed the container: 'time' (its time limit), or 'disk' / 'files' (its disk limit). */
  killedFor?: KillReason;
  /** Set (true) when a fork failed on the pids limit while this ran. */
  pidsLimitHit?: boolean;
  durationMs: number;
}

export interface ContainerEngine {
  /** Throws EngineUnavailableError when the engine does not answer. */
  ping(): Promise<EngineInfo>;
  build(request: BuildRequest): Promise<BuildOutcome>;
  inspectImage(image: string): Promise<ImageInfo>;
  /** The image by that name or id if the engine has it locally; undefined when it has not. */
  findImage(image: string): Promise<ImageInfo | undefined>;
  /** Reads one file out of an image through the archive API, never by running the image. */
  readImageFile(image: string, path: string, maxBytes: number): Promise<ImageFile>;
  /** Throws NoCommandError when the image and the request name nothing to run. */
  startService(request: ServiceRequest): Promise<Service>;
  /**
   * Starts what a build of this run will need before it is sent (its firewall rules), so
   * that `build` with the same run id finds it done. Optional, like prepareService.
   */
  prepareBuild?(runId: string): void;
  /**
   * Starts making what a service of this run will need that does not depend on the image
   * (its network), so that it is ready when `startService` is called with the same run
   * label. Optional: an engine without it makes everything at the start.
   */
  prepareService?(request: Pick<ServiceRequest, 'labels' | 'limits'>): void;
  /** Throws NoCommandError when the image and the request name nothing to run. */
  runOnce(request: RunRequest): Promise<ProcessOutcome>;
  /** Removes every container, network, volume and image labelled with this run; waits for any sweep still under way. */
  cleanup(runId: string): Promise<void>;
  /** Removes grader-labelled leftovers of earlier runs that are older than `olderThanMs`. A caller need not wait: `cleanup` does. */
  sweepStale(olderThanMs: number): Promise<number>;
}

/**
 * Labelled leftovers older than this belong to no running grade: a run is bounded by its
 * watchdog, and a job on a hosted runner lasts at most 6 hours.
 */
export const STALE_AFTER_MS = 6 * 60 * 60 * 1000;

/** Labels put on everything the grader creates. */
export const LABEL_PREFIX = 'io.github.grader';
export const RUN_LABEL = `${LABEL_PREFIX}.run`;
export const CREATED_LABEL = `${LABEL_PREFIX}.created`;

export function runLabels(runId: string): Record<string, string> {
  return { [RUN_LABEL]: runId, [CREATED_LABEL]: new Date().toISOString() };
}
