/**
 * The student's service: a long-running container on its own network, its output
 * followed from the first byte, with exec, stop and exit information.
 */
import type Dockerode from 'dockerode';
import { errorMessage } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { DEFAULT_OUTPUT_CAP, LineFeed, TextCapture } from './capture.js';
import { demultiplex } from './demux.js';
import { isDaemonStatus, isEngineGone } from './engine-errors.js';
import type { CapturedText, ExitInfo, Listener, ProcessOutcome, Service, ServiceRequest } from './engine.js';
import { createRunNetwork, addressOnNetwork, exposedPorts, loopbackPortBindings, publishedPort } from './network.js';
import type { RunNetwork } from './network.js';
import { execInContainer } from './process-exec.js';
import { listenersOfProcess } from './listening-ports.js';
import { settleWithin } from './settle.js';
import { containerEnv, sandboxHostConfig } from './sandbox-config.js';

export interface ServiceEnvironment {
  docker: Dockerode;
  /** The host cannot route to container IPs: publish ports on 127.0.0.1 instead. */
  desktop: boolean;
  logger: Logger;
}

/** How long to let the output stream finish after the container exited. */
const OUTPUT_DRAIN_MS = 2_000;
/** Exit code of a command the runtime could not start, as `docker run` reports it. */
const NOT_STARTED_EXIT_CODE = 127;

export async function startService(env: ServiceEnvironment, request: ServiceRequest): Promise<Service> {
  const { docker, desktop } = env;
  const internal = request.limits.network === 'none' && !desktop;
  if (desktop && request.limits.network === 'none') {
    env.logger.warn(
      'This Docker engine cannot route to container addresses (Docker Desktop or similar): the service gets its ports ' +
        'published on 127.0.0.1 and a network with a route out, so run-time network isolation is reduced here.',
    );
  }
  const network = await createRunNetwork(docker, { internal, labels: request.labels });
  const container = await docker.createContainer({
    ...(request.name ? { name: request.name } : {}),
    Image: request.image,
    Env: containerEnv(request.env),
    ...(request.command ? { Cmd: request.command } : {}),
    Labels: request.labels,
    ExposedPorts: exposedPorts(request.ports),
    AttachStdin: false,
    AttachStdout: true,
    AttachStderr: true,
    OpenStdin: false,
    Tty: false,
    HostConfig: {
      ...sandboxHostConfig(request.limits),
      NetworkMode: network.name,
      ...(desktop ? { PortBindings: loopbackPortBindings(request.ports) } : {}),
    },
  });
  const service = new DockerService(docker, container, network, desktop);
  await service.start();
  return service;
}

class DockerService implements Service {
  private readonly output = new TextCapture(DEFAULT_OUTPUT_CAP);
  private readonly lines = new LineFeed();
  private outputDone: Promise<void> = Promise.resolve();
  private exitPromise!: Promise<ExitInfo>;
  private exit: ExitInfo | undefined;
  private killedByGrader = false;
  private host: string | undefined;

  constructor(
    private readonly docker: Dockerode,
    private readonly container: Dockerode.Container,
    private readonly network: RunNetwork,
    private readonly desktop: boolean,
  ) {}

  get id(): string {
    return this.container.id;
  }

  async start(): Promise<void> {
    // Attached before start, so not a byte of output is missed.
    const stream = await this.container.attach({ stream: true, stdout: true, stderr: true });
    this.outputDone = demultiplex(stream, this.record, this.record).then(() => this.endOutput());
    try {
      await this.container.start();
    } catch (err) {
      if (isEngineGone(err) || !(isDaemonStatus(err, 400) || isDaemonStatus(err, 500))) throw err;
      // The command could not be started (no such executable…): the student's fault, seen as a crash.
      this.record(Buffer.from(`${errorMessage(err)}\n`));
      this.endOutput();
      (stream as { destroy?: () => void }).destroy?.();
      this.exitPromise = this.readExit(null);
      this.exitPromise.catch(() => {});
      return;
    }
    this.exitPromise = this.container.wait().then((result: { StatusCode: number }) => this.readExit(result.StatusCode));
    // A caller that never asks must not turn an engine failure into an unhandled rejection.
    this.exitPromise.catch(() => {});
    this.host = await this.lookUpHost().catch(() => undefined);
  }

  private readonly record = (chunk: Buffer): void => {
    this.output.write(chunk);
    this.lines.write(chunk);
  };

  private endOutput(): void {
    this.output.end();
    this.lines.end();
  }

  private async readExit(statusCode: number | null): Promise<ExitInfo> {
    // Already removed (a cleanup raced the exit): the status from wait() is all there is.
    const state = await this.container.inspect().then(
      (info) => info.State,
      (err: unknown) => {
        if (isDaemonStatus(err, 404) && statusCode !== null) return undefined;
        throw err;
      },
    );
    await settleWithin(this.outputDone, OUTPUT_DRAIN_MS);
    this.exit = {
      exitCode: statusCode ?? (state?.ExitCode || NOT_STARTED_EXIT_CODE),
      oomKilled: state?.OOMKilled === true,
      killed: this.killedByGrader,
    };
    return this.exit;
  }

  private async lookUpHost(): Promise<string | undefined> {
    if (this.desktop) return '127.0.0.1';
    return addressOnNetwork(await this.container.inspect(), this.network.name);
  }

  async address(containerPort: number): Promise<{ host: string; port: number }> {
    if (this.desktop) {
      const port = publishedPort(await this.container.inspect(), containerPort);
      if (port === undefined) throw new Error(`container port ${containerPort} was not published (not requested in ports)`);
      return { host: '127.0.0.1', port };
    }
    this.host ??= await this.lookUpHost();
    if (this.host === undefined) {
      // Not running: let exited() settle first so a caller racing both sees the exit.
      await this.exitPromise.catch(() => {});
      throw new Error('the service container is not running, so it has no address');
    }
    return { host: this.host, port: containerPort };
  }

  logs(): CapturedText {
    return this.output.snapshot();
  }

  async listeners(): Promise<Listener[] | undefined> {
    if (this.exit) return undefined;
    const info = await this.container.inspect().catch(() => undefined);
    return info?.State.Running ? listenersOfProcess(info.State.Pid) : undefined;
  }

  onLogLine(listener: (line: string) => void): () => void {
    return this.lines.subscribe(listener);
  }

  exited(): Promise<ExitInfo> {
    return this.exitPromise;
  }

  exitInfo(): ExitInfo | undefined {
    return this.exit;
  }

  exec(command: string[], options: { timeoutMs: number; outputCap?: number }): Promise<ProcessOutcome> {
    return execInContainer(this.docker, this.container, command, {
      ...options,
      onTimeout: () => this.kill(),
    });
  }

  async stop(graceMs: number): Promise<{ exitedInTime: boolean; elapsedMs: number; exit: ExitInfo }> {
    const started = Date.now();
    if (this.exit) return { exitedInTime: true, elapsedMs: 0, exit: this.exit };
    await this.signal('SIGTERM');
    const exitedInTime = await settleWithin(this.exitPromise, graceMs);
    const elapsedMs = Date.now() - started;
    if (!exitedInTime) await this.kill();
    return { exitedInTime, elapsedMs, exit: await this.exitPromise };
  }

  private async kill(): Promise<void> {
    if (this.exit) return;
    this.killedByGrader = true;
    await this.signal('SIGKILL');
  }

  private async signal(signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
    try {
      await this.container.kill({ signal });
    } catch (err) {
      // 409: not running any more; the exit is on its way through wait().
      if (!isDaemonStatus(err, 409) && !isDaemonStatus(err, 404)) throw err;
    }
  }
}
