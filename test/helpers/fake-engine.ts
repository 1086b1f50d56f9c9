/**
 * A programmable ContainerEngine and Service for unit tests: each method answers
 * from what the test set, and every call is recorded.
 */
import type {
  BuildOutcome,
  BuildRequest,
  CapturedText,
  ContainerEngine,
  EngineInfo,
  ExitInfo,
  HealthState,
  ImageFile,
  ImageInfo,
  Listener,
  ProcessOutcome,
  RunRequest,
  Service,
  ServiceRequest,
} from '../../src/engine/engine.js';
import type { ProbeContext } from '../../src/probes/probe.js';
import type { Check, CheckSpec, Rubric } from '../../src/rubric/model.js';

export function captured(text: string, truncated = false): CapturedText {
  return { text, bytes: Buffer.byteLength(text), truncated };
}

export function processOutcome(
  partial: Partial<Omit<ProcessOutcome, 'stdout' | 'stderr'>> & { stdout?: string; stderr?: string } = {},
): ProcessOutcome {
  return {
    exitCode: partial.exitCode === undefined ? 0 : partial.exitCode,
    stdout: captured(partial.stdout ?? ''),
    stderr: captured(partial.stderr ?? ''),
    oomKilled: partial.oomKilled ?? false,
    durationMs: partial.durationMs ?? 10,
    ...(partial.killedFor ? { killedFor: partial.killedFor } : {}),
    ...(partial.pidsLimitHit ? { pidsLimitHit: partial.pidsLimitHit } : {}),
  };
}

export function imageInfo(partial: Partial<ImageInfo> = {}): ImageInfo {
  return {
    id: 'sha256:fake',
    sizeBytes: 50_000_000,
    user: '',
    exposedPorts: [],
    env: {},
    labels: {},
    workdir: '',
    entrypoint: null,
    cmd: ['app'], // a runnable image; tests of an image with nothing to start clear it
    healthcheck: false,
    layers: 5,
    volumes: [],
    ...partial,
  };
}

export class FakeService implements Service {
  readonly id = 'fake-service';
  /** Container port → where the test server really listens. */
  ports = new Map<number, { host: string; port: number }>();
  logText = '';
  logsTruncated = false;
  exit: ExitInfo | undefined;
  execHandler: (command: string[], options: { timeoutMs: number }) => ProcessOutcome = () => processOutcome();
  stopResult: { exitedInTime: boolean; elapsedMs: number; exit: ExitInfo } = {
    exitedInTime: true,
    elapsedMs: 120,
    exit: { exitCode: 0, oomKilled: false },
  };
  readonly execCalls: { command: string[]; options: { timeoutMs: number; outputCap?: number } }[] = [];
  readonly stopCalls: number[] = [];

  async address(containerPort: number): Promise<{ host: string; port: number }> {
    // An unmapped port gets a closed local port, as a container port nobody listens on would behave.
    return this.ports.get(containerPort) ?? { host: '127.0.0.1', port: 1 };
  }
  logs(): CapturedText {
    return captured(this.logText, this.logsTruncated);
  }
  /** What `pidsLimitHit()` answers. */
  pidsHit = false;
  pidsLimitHit(): boolean {
    return this.pidsHit;
  }
  /** What `listeners()` answers; undefined: cannot tell. */
  listening: Listener[] | undefined;
  async listeners(): Promise<Listener[] | undefined> {
    return this.listening;
  }
  /** What `health()` answers: a fixed state, or one computed at each call. */
  healthState: HealthState | undefined | (() => HealthState | undefined);
  async health(): Promise<HealthState | undefined> {
    return typeof this.healthState === 'function' ? this.healthState() : this.healthState;
  }
  private readonly lineListeners = new Set<(line: string) => void>();
  onLogLine(listener: (line: string) => void): () => void {
    this.lineListeners.add(listener);
    return () => this.lineListeners.delete(listener);
  }
  /** Appends a line to the log and tells the line listeners, as the container printing it would. */
  printLine(line: string): void {
    this.logText += `${line}\n`;
    for (const listener of this.lineListeners) listener(line);
  }
  private readonly exitWaiters: ((exit: ExitInfo) => void)[] = [];
  async exited(): Promise<ExitInfo> {
    return this.exit ?? new Promise<ExitInfo>((resolve) => this.exitWaiters.push(resolve));
  }
  /** The container exits now: whoever waits on `exited()` is told. */
  exitWith(exit: ExitInfo): void {
    this.exit = exit;
    for (const resolve of this.exitWaiters.splice(0)) resolve(exit);
  }
  exitInfo(): ExitInfo | undefined {
    return this.exit;
  }
  async exec(command: string[], options: { timeoutMs: number; outputCap?: number }): Promise<ProcessOutcome> {
    this.execCalls.push({ command, options });
    return this.execHandler(command, options);
  }
  async stop(graceMs: number): Promise<{ exitedInTime: boolean; elapsedMs: number; exit: ExitInfo }> {
    this.stopCalls.push(graceMs);
    this.exit = this.stopResult.exit;
    return this.stopResult;
  }
}

export class FakeEngine implements ContainerEngine {
  buildOutcome: BuildOutcome = { ok: true, imageId: 'sha256:fake', durationMs: 1000, logTail: '' };
  images = new Map<string, ImageInfo>();
  /** `image:path` → file. */
  files = new Map<string, ImageFile>();
  runHandler: (request: RunRequest) => ProcessOutcome = () => processOutcome();
  service = new FakeService();
  readonly runCalls: RunRequest[] = [];
  readonly readCalls: { image: string; path: string; maxBytes: number }[] = [];

  async ping(): Promise<EngineInfo> {
    return { version: 'fake', apiVersion: '1.47', operatingSystem: 'fake', buildkit: true, desktop: false };
  }
  async build(_request: BuildRequest): Promise<BuildOutcome> {
    return this.buildOutcome;
  }
  async inspectImage(image: string): Promise<ImageInfo> {
    const info = this.images.get(image);
    if (!info) throw new Error(`no such image ${image}`);
    return info;
  }
  async findImage(image: string): Promise<ImageInfo | undefined> {
    return this.images.get(image);
  }
  async readImageFile(image: string, path: string, maxBytes: number): Promise<ImageFile> {
    this.readCalls.push({ image, path, maxBytes });
    return this.files.get(`${image}:${path}`) ?? { kind: 'missing' };
  }
  async startService(_request: ServiceRequest): Promise<Service> {
    return this.service;
  }
  async runOnce(request: RunRequest): Promise<ProcessOutcome> {
    this.runCalls.push(request);
    return this.runHandler(request);
  }
  async cleanup(_runId: string): Promise<void> {}
  async sweepStale(_olderThanMs: number): Promise<number> {
    return 0;
  }
}

export function testRubric(partial: Partial<Rubric> = {}): Rubric {
  return {
    version: 1,
    title: 'test',
    locale: 'en',
    source: 'test',
    build: { dockerfile: 'Dockerfile', context: '.', args: {}, timeoutMs: 300_000 },
    service: { env: {}, ready: { timeoutMs: 60_000 } },
    limits: { memoryBytes: 512 * 1024 ** 2, cpus: 1, pids: 256, network: 'none' },
    checks: [],
    ...partial,
  };
}

export function check<S extends CheckSpec>(spec: S, extra: Partial<Check<S>> = {}): Check<S> {
  return { id: spec.kind, name: spec.kind, points: 1, required: false, visibility: 'visible', spec, ...extra };
}

/** A ProbeContext around a FakeEngine; pass `image` / `service` to provide those stages. */
export function fakeContext(
  engine: FakeEngine,
  overrides: Partial<ProbeContext> & { withImage?: boolean; withService?: boolean; defaultPort?: number } = {},
): ProbeContext {
  const { withImage, withService, defaultPort, ...rest } = overrides;
  const ref = 'grader-test:latest';
  return {
    rubric: testRubric(),
    repoDir: '/nonexistent',
    dockerfilePath: 'Dockerfile',
    engine,
    limits: { memoryBytes: 512 * 1024 ** 2, cpus: 1, pids: 256, network: 'none' },
    labels: { 'io.github.grader.run': 'test' },
    signal: new AbortController().signal,
    ...(withImage ? { image: { ref, info: engine.images.get(ref) ?? imageInfo() } } : {}),
    ...(withService ? { service: { handle: engine.service, ...(defaultPort !== undefined ? { defaultPort } : {}) } } : {}),
    ...rest,
    // What the orchestrator passes for a check without its own `timeout` whose probe's default is 10 s.
    timeoutMs: rest.timeoutMs ?? 10_000,
  };
}
