/**
 * The student's service: a long-running container on its own network, its output
 * followed from the first byte, with exec, stop and exit information.
 */
import type Dockerode from 'dockerode';
import { errorMessage } from '../../basics/errors.js';
import { t } from '../../basics/i18n/catalogue.js';
import type { Logger } from '../../basics/logger.js';
import { LineFeed, TextCapture } from './capture.js';
import type { ContainerFactory, StudentContainer } from './container-create.js';
import { demultiplex } from './demux.js';
import { isDaemonStatus, isEngineGone } from '../engine-errors.js';
import { ContainerWatch } from './container-watch.js';
import type { CapturedText, ExitInfo, HealthState, KillReason, Listener, ProcessOutcome, Service, ServiceRequest } from '../engine.js';
import { DEFAULT_DISK_BYTES, OUTPUT_CAP_BYTES, RUN_LABEL } from '../engine.js';
import type { HostFirewall } from '../network/host-firewall.js';
import { addressOnNetwork, bridgeOf, createRunNetwork, exposedPorts, loopbackPortBindings, publishedPort } from '../network/network.js';
import type { RunNetwork } from '../network/network.js';
import { mentionsForkFailure } from './pids-limit.js';
import { startPortProxy } from '../network/port-proxy.js';
import type { PortProxy } from '../network/port-proxy.js';
import { execInContainer } from './process-exec.js';
import { listenersOfProcess } from './listening-ports.js';
import { NOT_STARTED_EXIT_CODE, OUTPUT_DRAIN_MS, exitState } from './exit-state.js';
import { settleWithin } from '../../basics/deadline.js';
import { containerEnv } from './sandbox-config.js';
import { healthOf } from './health.js';

export interface ServiceEnvironment {
  docker: Dockerode;
  /** Creates the container with the sandbox's settings. */
  factory: ContainerFactory;
  /** Where the engine keeps its data, when it runs on this host (for the disk watch). */
  dataRoot?: string;
  /** The host cannot route to container IPs: reach the service through 127.0.0.1. */
  desktop: boolean;
  logger: Logger;
  firewall: HostFirewall;
  /** A BusyBox image for the port proxy on hosts that cannot route to containers; undefined when none. */
  proxyImage: () => Promise<string | undefined>;
}

/** How the grader reaches the service: its address, ports it publishes itself, or a proxy's ports. */
type Reach = 'direct' | 'published' | 'proxy';

/** The network a service joins, and how the grader reaches it. */
export interface ServiceNetwork {
  network: RunNetwork;
  reach: Reach;
  proxyImage: string | undefined;
}

/**
 * Creates the service's network (and closes its way to the host): the part of starting a
 * service that does not need the image, so it can be done while the image builds.
 */
export async function createServiceNetwork(
  env: ServiceEnvironment,
  request: Pick<ServiceRequest, 'labels' | 'limits'>,
): Promise<ServiceNetwork> {
  const { docker, desktop } = env;
  const isolated = request.limits.network === 'none';
  const proxyImage = desktop && isolated ? await env.proxyImage() : undefined;
  const reach: Reach = !desktop ? 'direct' : proxyImage ? 'proxy' : 'published';
  if (reach === 'published' && isolated) {
    env.logger.warn(
      'This Docker engine cannot route to container addresses (Docker Desktop or similar) and no BusyBox image is available ' +
        'for the port proxy: the service gets its ports published on 127.0.0.1 and a network with a route out, so run-time ' +
        'network isolation is reduced here.',
    );
  }
  const internal = isolated && reach !== 'published';
  const network = await createRunNetwork(docker, { internal, labels: request.labels });
  if (internal) await env.firewall.isolate(await bridgeOf(docker, network), request.labels[RUN_LABEL] ?? 'unlabelled');
  return { network, reach, proxyImage };
}

/** Starts the service on `prepared` (from createServiceNetwork), or on a network made now. */
export async function startService(env: ServiceEnvironment, request: ServiceRequest, prepared?: Promise<ServiceNetwork>): Promise<Service> {
  const { docker } = env;
  const { network, reach, proxyImage } = await (prepared ?? createServiceNetwork(env, request));
  const created = await env.factory.create(
    {
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
        NetworkMode: network.name,
        ...(reach === 'published' ? { PortBindings: loopbackPortBindings(request.ports) } : {}),
      },
    },
    request.limits,
    { healthcheck: request.healthcheck === true },
  );
  const service = new DockerService(docker, created, network, reach, {
    diskBytes: request.limits.diskBytes ?? DEFAULT_DISK_BYTES,
    dataRoot: env.dataRoot,
  });
  await service.start();
  if (proxyImage) await service.proxyThrough(proxyImage, request);
  return service;
}

class DockerService implements Service {
  private readonly output = new TextCapture(OUTPUT_CAP_BYTES);
  private readonly lines = new LineFeed();
  private outputDone: Promise<void> = Promise.resolve();
  private exitPromise!: Promise<ExitInfo>;
  private exit: ExitInfo | undefined;
  private killedFor: KillReason | undefined;
  /** The grader asked the service to stop (a `stop` check): its exit is no surprise. */
  private stopAsked = false;
  private host: string | undefined;
  private proxy: PortProxy | undefined;
  private watch: ContainerWatch | undefined;
  private readonly container: Dockerode.Container;

  constructor(
    private readonly docker: Dockerode,
    private readonly created: StudentContainer,
    private readonly network: RunNetwork,
    private readonly reach: Reach,
    private readonly disk: { diskBytes: number; dataRoot: string | undefined },
  ) {
    this.container = created.container;
  }

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
    const info = await this.container.inspect().catch(() => undefined);
    if (!info?.State.Running) return;
    this.host = this.reach === 'published' ? '127.0.0.1' : addressOnNetwork(info, this.network.name);
    this.watch = await ContainerWatch.start(this.container, info, {
      diskBytes: this.disk.diskBytes,
      volumes: this.created.volumes,
      volumeBytes: this.created.volumeBytes,
      ...(this.disk.dataRoot ? { dataRoot: this.disk.dataRoot } : {}),
      onDiskExceeded: (reason) => this.kill(reason),
    });
    // It may have exited (and been told so) while the watch was starting.
    if (this.exit) this.watch.stop();
  }

  /** Puts the port proxy in front of the started service; without an address (it already exited) there is nothing to proxy. */
  async proxyThrough(image: string, request: ServiceRequest): Promise<void> {
    if (this.host === undefined || this.exit) return;
    this.proxy = await startPortProxy(this.docker, {
      image,
      internal: this.network,
      target: this.host,
      ports: request.ports,
      labels: request.labels,
    });
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
    const state = await exitState(this.container, { killedByGrader: this.killedFor !== undefined, exitedByItself: !this.stopAsked }).then(
      (found) => found,
      (err: unknown) => {
        if (isDaemonStatus(err, 404) && statusCode !== null) return undefined;
        throw err;
      },
    );
    this.watch?.stop();
    await settleWithin(this.outputDone, OUTPUT_DRAIN_MS);
    this.exit = {
      exitCode: statusCode ?? (state?.ExitCode || NOT_STARTED_EXIT_CODE),
      oomKilled: state?.OOMKilled === true,
      ...(this.killedFor ? { killedFor: this.killedFor } : {}),
      ...(this.pidsLimitHit() ? { pidsLimitHit: true } : {}),
    };
    return this.exit;
  }

  pidsLimitHit(): boolean {
    return (this.watch?.refusedForks ?? 0) > 0 || mentionsForkFailure(this.output.snapshot().text);
  }

  async address(containerPort: number): Promise<{ host: string; port: number }> {
    if (this.reach === 'published') {
      const port = publishedPort(await this.container.inspect(), containerPort);
      if (port === undefined) throw new Error(`container port ${containerPort} was not published (not requested in ports)`);
      return { host: '127.0.0.1', port };
    }
    if (this.proxy) {
      const port = this.proxy.hostPort(containerPort);
      if (port === undefined) throw new Error(`container port ${containerPort} was not published (not requested in ports)`);
      return { host: '127.0.0.1', port };
    }
    this.host ??= addressOnNetwork(await this.container.inspect(), this.network.name);
    if (this.host === undefined || this.reach === 'proxy') {
      // Not running: let exited() settle first so a caller racing both sees the exit.
      await this.exitPromise.catch(() => {});
      throw new Error(t('engine.service.no_address'));
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

  async health(): Promise<HealthState | undefined> {
    if (this.exit) return undefined;
    const info = await this.container.inspect().catch((err: unknown) => {
      if (isDaemonStatus(err, 404)) return undefined; // removed under us: as good as stopped
      throw err;
    });
    if (!info?.State.Running) return undefined;
    return healthOf(info.State.Health);
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
      onTimeout: () => this.kill('time'),
      refusedForks: this.watch?.countsForks ? () => this.watch!.readPids() : undefined,
      killedFor: () => this.killedFor,
    });
  }

  async stop(graceMs: number): Promise<{ exitedInTime: boolean; elapsedMs: number; exit: ExitInfo }> {
    const started = Date.now();
    if (this.exit) return { exitedInTime: true, elapsedMs: 0, exit: this.exit };
    this.stopAsked = true;
    await this.signal('SIGTERM');
    const exitedInTime = await settleWithin(this.exitPromise, graceMs);
    const elapsedMs = Date.now() - started;
    if (!exitedInTime) await this.kill('time');
    return { exitedInTime, elapsedMs, exit: await this.exitPromise };
  }

  private async kill(reason: KillReason): Promise<void> {
    if (this.exit) return;
    this.killedFor ??= reason;
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
