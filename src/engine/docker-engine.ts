/**
 * ContainerEngine on the Docker Engine API through dockerode: the only module that
 * constructs a Dockerode client. Each job lives in its own module; this one connects,
 * pings, and turns "the engine is gone" into EngineUnavailableError everywhere.
 */
import Dockerode from 'dockerode';
import { EngineUnavailableError, errorMessage } from '../basics/errors.js';
import type { Logger } from '../basics/logger.js';
import { silentLogger } from '../basics/logger.js';
import { isLoopback } from '../basics/net.js';
import { cleanupRun, sweepStale } from './cleanup.js';
import { ContainerFactory } from './container/container-create.js';
import { DEFAULT_BUILD_CACHE_POLICY, pruneCacheMounts, pruneToBudget, type BuildCachePolicy } from './build/build-cache.js';
import { buildImage } from './build/docker-build.js';
import { engineUnavailable, isDaemonStatus, translateEngineError } from './engine-errors.js';
import type { EngineLocation } from './engine-errors.js';
import type {
  BuildOutcome,
  BuildRequest,
  ContainerEngine,
  EngineInfo,
  ImageFile,
  ImageInfo,
  ProcessOutcome,
  RunRequest,
  Service,
  ServiceRequest,
} from './engine.js';
import { RUN_LABEL } from './engine.js';
import { HostFirewall } from './network/host-firewall.js';
import { inspectImage, readImageFile } from './image-files.js';
import { BRIDGE_NAME_OPTION } from './network/network.js';
import { findProxyImage } from './network/port-proxy.js';
import { runOnce } from './container/run-once.js';
import { createServiceNetwork, startService, type ServiceEnvironment, type ServiceNetwork } from './container/service.js';

export const DEFAULT_SOCKET_PATH = '/var/run/docker.sock';
const PING_TIMEOUT_MS = 5_000;
const DEFAULT_BRIDGE = 'docker0';
/** BuildKit through the API (`version: '2'` builds) arrived with API 1.39 (Engine 18.09). */
const BUILDKIT_MIN_API = [1, 39] as const;

export interface DockerEngineOptions {
  /** A Unix socket to use instead of DOCKER_HOST or /var/run/docker.sock. */
  socketPath?: string;
  /** Where notes such as "isolation is reduced on this engine" go. */
  logger?: Logger;
  pingTimeoutMs?: number;
  /**
   * Reach services through ports published on 127.0.0.1 even where container addresses are
   * routable, e.g. when the grader itself runs in a container. Implied on Docker Desktop.
   */
  publishPorts?: boolean;
  /** What the BuildKit cache may keep after each run; default DEFAULT_BUILD_CACHE_POLICY. */
  buildCache?: Partial<BuildCachePolicy>;
}

export function createDockerEngine(options: DockerEngineOptions = {}): ContainerEngine {
  const { docker, location, remote } = engineClient(options);
  return new DockerEngine(docker, location, {
    unroutable: remote || options.publishPorts === true,
    onThisHost: !remote,
    logger: options.logger ?? silentLogger,
    pingTimeoutMs: options.pingTimeoutMs ?? PING_TIMEOUT_MS,
    buildCache: { ...DEFAULT_BUILD_CACHE_POLICY, ...options.buildCache },
  });
}

/** Where to connect, like the docker CLI: an explicit socket, else DOCKER_HOST, else the default socket. */
function engineClient(options: DockerEngineOptions): { docker: Dockerode; location: EngineLocation; remote: boolean } {
  const socketPath = options.socketPath;
  if (socketPath) return { docker: new Dockerode({ socketPath }), location: { description: `unix://${socketPath}` }, remote: false };
  const dockerHost = process.env.DOCKER_HOST;
  if (!dockerHost) {
    return {
      docker: new Dockerode({ socketPath: DEFAULT_SOCKET_PATH }),
      location: { description: `unix://${DEFAULT_SOCKET_PATH}` },
      remote: false,
    };
  }
  const location = { description: `DOCKER_HOST=${dockerHost}` };
  try {
    // docker-modem reads DOCKER_HOST (unix://, npipe://, tcp://, ssh://) and the TLS variables itself.
    return { docker: new Dockerode(), location, remote: !isOnThisHost(dockerHost) };
  } catch (err) {
    throw new EngineUnavailableError(`Cannot use ${location.description}: ${errorMessage(err)}`, { cause: err });
  }
}

/** Whether DOCKER_HOST points at this machine, where container addresses are routable. */
function isOnThisHost(dockerHost: string): boolean {
  if (/^(unix|npipe):\/\//.test(dockerHost)) return true;
  try {
    return isLoopback(new URL(dockerHost.includes('//') ? dockerHost : `tcp://${dockerHost}`).hostname);
  } catch {
    return false;
  }
}

interface SignalledCalls {
  version(options: { abortSignal: AbortSignal }): Promise<Dockerode.DockerVersion>;
  info(options: { abortSignal: AbortSignal }): Promise<{
    OperatingSystem?: string;
    OSType?: string;
    SecurityOptions?: string[];
    DockerRootDir?: string;
    Driver?: string;
    DriverStatus?: [string, string][];
  }>;
}

/** A Dockerfile that may make cache mounts (`RUN --mount=type=cache`); any `--mount` counts, to be safe. */
const MAY_MOUNT = /--mount\b/i;

class DockerEngine implements ContainerEngine {
  private pinged: Promise<EngineInfo> | undefined;
  private proxyImage: Promise<string | undefined> | undefined;
  private defaultBridgeName: Promise<string> | undefined;
  /** Runs that built with BuildKit here and have not been cleaned up yet. */
  private readonly builtRuns = new Set<string>();
  private buildsUnderWay = 0;
  /** Builds here whose Dockerfile may have made cache mounts; and how many there were at the last prune that took them all. */
  private mountingBuilds = 0;
  private mountingBuildsPruned = 0;
  /** The prune that holds the build cache to its budget, while it runs; and whether one is owed (builds were under way). */
  private budgetPrune: Promise<void> | undefined;
  private budgetPruneOwed = false;
  /** Build firewall rules being added ahead of the build (prepareBuild), by run. */
  private readonly preparedBuilds = new Map<string, Promise<unknown>>();
  /** Service networks made ahead of the start (prepareService), by run. */
  private readonly preparedNetworks = new Map<string, Promise<ServiceNetwork>>();
  /** Sweeps under way: `cleanup` waits for them, so that a caller may start a sweep and go on without it. */
  private readonly sweeps = new Set<Promise<unknown>>();
  private readonly firewall: HostFirewall;
  private readonly factory: ContainerFactory;
  /** Where the engine keeps its data, when it runs on this host; learnt with the ping. */
  private dataRoot: string | undefined;

  constructor(
    private readonly docker: Dockerode,
    private readonly location: EngineLocation,
    private readonly settings: {
      unroutable: boolean;
      onThisHost: boolean;
      logger: Logger;
      pingTimeoutMs: number;
      buildCache: BuildCachePolicy;
    },
  ) {
    this.firewall = new HostFirewall(settings.logger);
    this.factory = new ContainerFactory(docker, settings.logger);
  }

  async ping(): Promise<EngineInfo> {
    const attempt = this.askEngine();
    // Once the requests are out: starting its processes takes the thread a few milliseconds.
    if (this.settings.onThisHost) setImmediate(() => this.firewall.warmUp());
    this.pinged = attempt;
    attempt.catch(() => {
      if (this.pinged === attempt) this.pinged = undefined;
    });
    return attempt;
  }

  private async askEngine(): Promise<EngineInfo> {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), this.settings.pingTimeoutMs);
    try {
      const calls = this.docker as unknown as SignalledCalls;
      // Asked along, for the builds' firewall rules: it costs the engine nothing, and a build no round trip.
      const bridge = this.settings.onThisHost ? this.askDefaultBridge() : undefined;
      bridge?.catch(() => {});
      const [version, info] = await Promise.all([calls.version({ abortSignal: abort.signal }), calls.info({ abortSignal: abort.signal })]);
      if (bridge) this.defaultBridgeName ??= bridge.catch(() => DEFAULT_BRIDGE);
      const apiVersion = version.ApiVersion;
      const operatingSystem = info.OperatingSystem ?? version.Os;
      const linux = (info.OSType ?? version.Os) === 'linux';
      const rootless = (info.SecurityOptions ?? []).some((option) => option.includes('name=rootless'));
      // Docker Desktop keeps its data in a VM: a path of the same name here would be another filesystem.
      const inVm = /docker desktop/i.test(operatingSystem);
      if (this.settings.onThisHost && linux && !inVm && process.platform === 'linux') this.dataRoot = info.DockerRootDir;
      this.factory.storageDriver(info.Driver, info.DriverStatus);
      return {
        version: version.Version,
        apiVersion,
        operatingSystem,
        buildkit: linux && apiAtLeast(apiVersion, BUILDKIT_MIN_API),
        desktop: inVm || process.platform !== 'linux' || rootless || this.settings.unroutable,
      };
    } catch (err) {
      if (abort.signal.aborted) {
        const timedOut = Object.assign(new Error(`no answer within ${this.settings.pingTimeoutMs / 1000} s`), { name: 'AbortError' });
        throw engineUnavailable(this.location, timedOut);
      }
      // Any failure to answer a ping, even an odd HTTP one, means there is no usable engine.
      throw engineUnavailable(this.location, err);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The engine's facts, pinging once if nobody has yet. */
  private info(): Promise<EngineInfo> {
    return this.pinged ?? this.ping();
  }

  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      throw translateEngineError(this.location, err);
    }
  }

  build(request: BuildRequest): Promise<BuildOutcome> {
    return this.guard(async () => {
      const { buildkit } = await this.info();
      // Build steps run on the default bridge; its rules go when the run is cleaned up.
      const isolated = this.isolateBuilds(request.runId);
      this.preparedBuilds.delete(request.runId);
      if (buildkit) this.builtRuns.add(request.runId);
      if (buildkit && MAY_MOUNT.test(request.dockerfileText)) this.mountingBuilds += 1;
      this.buildsUnderWay += 1;
      try {
        // A budget prune under way could drop the context this build uploads before the engine reads it.
        const ready = Promise.all([isolated, this.budgetPrune?.catch(() => {})]);
        return await buildImage(this.docker, request, { buildkit, readyToSend: ready });
      } finally {
        // Rules still being added when a build is refused early must exist before the clean-up looks for them.
        await isolated.catch(() => {});
        this.buildsUnderWay -= 1;
      }
    });
  }

  prepareBuild(runId: string): void {
    this.isolateBuilds(runId);
  }

  /** The run's build firewall rules, added once (ahead of the build when prepareBuild was called). */
  private isolateBuilds(runId: string): Promise<unknown> {
    let isolated = this.preparedBuilds.get(runId);
    if (isolated === undefined) {
      isolated = this.defaultBridge().then((bridge) => this.firewall.isolateBuilds(bridge, runId));
      // Awaited before anything is sent, and in any case before build() returns.
      isolated.catch(() => {});
      this.preparedBuilds.set(runId, isolated);
    }
    return isolated;
  }

  /** The host interface of the engine's default `bridge` network, where build steps run. */
  private defaultBridge(): Promise<string> {
    this.defaultBridgeName ??= this.askDefaultBridge().catch(() => DEFAULT_BRIDGE);
    return this.defaultBridgeName;
  }

  private async askDefaultBridge(): Promise<string> {
    const info = (await this.docker.getNetwork('bridge').inspect()) as { Options?: Record<string, string> };
    return info.Options?.[BRIDGE_NAME_OPTION] || DEFAULT_BRIDGE;
  }

  inspectImage(image: string): Promise<ImageInfo> {
    return this.guard(() => inspectImage(this.docker, image));
  }

  findImage(image: string): Promise<ImageInfo | undefined> {
    return this.guard(() =>
      inspectImage(this.docker, image).catch((err: unknown) => {
        if (isDaemonStatus(err, 404)) return undefined;
        throw err;
      }),
    );
  }

  readImageFile(image: string, path: string, maxBytes: number): Promise<ImageFile> {
    return this.guard(() => readImageFile(this.docker, image, path, maxBytes));
  }

  prepareService(request: Pick<ServiceRequest, 'labels' | 'limits'>): void {
    const runId = request.labels[RUN_LABEL];
    if (runId === undefined || this.preparedNetworks.has(runId)) return;
    const prepared = this.guard(async () => createServiceNetwork(await this.serviceEnvironment(), request));
    // Its failure, if any, is the start's: startService awaits it.
    prepared.catch(() => {});
    this.preparedNetworks.set(runId, prepared);
  }

  startService(request: ServiceRequest): Promise<Service> {
    return this.guard(async () => {
      const runId = request.labels[RUN_LABEL];
      const prepared = runId === undefined ? undefined : this.preparedNetworks.get(runId);
      if (runId !== undefined) this.preparedNetworks.delete(runId);
      const service = await startService(await this.serviceEnvironment(), request, prepared);
      return guardedService(service, (work) => this.guard(work));
    });
  }

  private async serviceEnvironment(): Promise<ServiceEnvironment> {
    const { desktop } = await this.info();
    return {
      docker: this.docker,
      factory: this.factory,
      ...(this.dataRoot ? { dataRoot: this.dataRoot } : {}),
      desktop,
      logger: this.settings.logger,
      firewall: this.firewall,
      proxyImage: () => this.findProxyImage(),
    };
  }

  /** Looked up (or pulled) once per engine; a failed look-up is tried again next time. */
  private findProxyImage(): Promise<string | undefined> {
    const attempt = (this.proxyImage ??= findProxyImage(this.docker));
    attempt.then(
      (image) => {
        if (image === undefined && this.proxyImage === attempt) this.proxyImage = undefined;
      },
      () => {
        if (this.proxyImage === attempt) this.proxyImage = undefined;
      },
    );
    return attempt;
  }

  runOnce(request: RunRequest): Promise<ProcessOutcome> {
    return this.guard(async () => {
      await this.info();
      return runOnce({ factory: this.factory, ...(this.dataRoot ? { dataRoot: this.dataRoot } : {}) }, request);
    });
  }

  cleanup(runId: string): Promise<void> {
    return this.guard(async () => {
      const built = this.builtRuns.delete(runId);
      // What was made ahead for a build or a service that never came: let it exist before the clean-up looks.
      const prepared = [this.preparedNetworks.get(runId), this.preparedBuilds.get(runId)];
      this.preparedNetworks.delete(runId);
      this.preparedBuilds.delete(runId);
      await Promise.all(prepared.map((promise) => promise?.catch(() => {})));
      try {
        await cleanupRun(this.docker, runId, {
          firewall: this.firewall,
          ...(built && this.mountingBuilds > this.mountingBuildsPruned ? { alongside: () => this.pruneLeftMounts() } : {}),
          // After the run's image is gone, so that its layers count as unused.
          ...(built || this.budgetPruneOwed ? { afterImages: () => this.pruneToBudgetWhenIdle() } : {}),
        });
      } finally {
        await Promise.allSettled(this.sweeps);
      }
    });
  }

  /**
   * Holds the build cache to its budget, unless a build is under way here: a prune can drop the
   * context a build has uploaded before the engine reads it. Then a later clean-up does it.
   */
  private async pruneToBudgetWhenIdle(): Promise<void> {
    if (this.buildsUnderWay > 0) {
      this.budgetPruneOwed = true;
      return;
    }
    this.budgetPruneOwed = false;
    const prune = pruneToBudget(this.docker, this.settings.buildCache);
    this.budgetPrune = prune;
    try {
      await prune;
    } finally {
      if (this.budgetPrune === prune) this.budgetPrune = undefined;
    }
  }

  /** Cache mounts are pruned only while builds here may have left some: most Dockerfiles make none, and the prune is slow on a large cache. */
  private async pruneLeftMounts(): Promise<void> {
    const mountingBuilds = this.mountingBuilds;
    const othersBuilding = this.buildsUnderWay > 0;
    await pruneCacheMounts(this.docker, this.settings.buildCache, othersBuilding);
    // With others building, only idle mounts went: theirs, and this run's own, wait for a later prune.
    if (!othersBuilding) this.mountingBuildsPruned = Math.max(this.mountingBuildsPruned, mountingBuilds);
  }

  sweepStale(olderThanMs: number): Promise<number> {
    const sweep = this.guard(() => sweepStale(this.docker, olderThanMs, this.firewall));
    this.sweeps.add(sweep);
    sweep.then(
      () => this.sweeps.delete(sweep),
      () => this.sweeps.delete(sweep),
    );
    return sweep;
  }
}

/** The same service, with engine failures of its calls surfacing as EngineUnavailableError. */
function guardedService(service: Service, guard: <T>(work: () => Promise<T>) => Promise<T>): Service {
  const exited = guard(() => service.exited());
  exited.catch(() => {});
  return {
    id: service.id,
    address: (port) => guard(() => service.address(port)),
    logs: () => service.logs(),
    listeners: () => service.listeners().catch(() => undefined),
    health: () => guard(() => service.health()),
    onLogLine: (listener) => service.onLogLine(listener),
    exited: () => exited,
    exitInfo: () => service.exitInfo(),
    pidsLimitHit: () => service.pidsLimitHit?.() ?? false,
    exec: (command, options) => guard(() => service.exec(command, options)),
    stop: (graceMs) => guard(() => service.stop(graceMs)),
  };
}

function apiAtLeast(version: string, minimum: readonly [number, number]): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major > minimum[0] || (major === minimum[0] && minor >= minimum[1]);
}
