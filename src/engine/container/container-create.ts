/**
 * Creating a student's container (the service, or a one-shot run) with what the sandbox
 * adds to its image: the limits and privileges of sandbox-config, the image's health
 * check off (or run every second, when asked for), its VOLUME paths as bounded tmpfs
 * mounts, and a hard quota on its writable layer where the storage driver has one
 * (overlay2 on xfs with `pquota`, btrfs, zfs…).
 * Whether it has one is learnt from the first create and kept for the engine's life.
 */
import type Dockerode from 'dockerode';
import type { Logger } from '../../basics/logger.js';
import { isDaemonStatus } from '../engine-errors.js';
import type { RuntimeLimits } from '../engine.js';
import { DEFAULT_DISK_BYTES } from '../engine.js';
import { inspectImage, readImageDirectories } from '../image-files.js';
import {
  DISABLED_HEALTHCHECK,
  GRADING_HEALTHCHECK,
  OVER_LIMIT_ROOM_BYTES,
  mountableVolumes,
  sandboxHostConfig,
  volumeTmpfs,
} from './sandbox-config.js';
import type { VolumeDir } from './sandbox-config.js';
import { NoCommandError, hasStartCommand, isNoCommandRefusal } from './start-command.js';

/** VOLUME paths whose directory's owner is read from the image. */
const OWNERS_READ = 32;

export interface StudentContainer {
  container: Dockerode.Container;
  /** Where the image's VOLUME tmpfs mounts are, and the size of each. */
  volumes: string[];
  volumeBytes: number;
}

/** What the image contributes to every container made from it. */
interface ImageFacts {
  runnable: (command: readonly string[] | undefined) => boolean;
  volumes: VolumeDir[];
}

export class ContainerFactory {
  private readonly quota: StorageQuota;
  private readonly images = new Map<string, Promise<ImageFacts>>();

  constructor(
    private readonly docker: Dockerode,
    logger: Logger,
  ) {
    this.quota = new StorageQuota(logger);
  }

  /** What the engine says of its storage, so that a driver known to have no quota is not asked for one. */
  storageDriver(driver: string | undefined, status: [string, string][] | undefined): void {
    this.quota.learnFrom(driver, status);
  }

  /**
   * Creates the container `options` describe (without its HostConfig sandbox: that is
   * added here); `extras.healthcheck` runs the image's HEALTHCHECK. Throws NoCommandError
   * when neither the image nor `options.Cmd` names anything to run.
   */
  async create(
    options: Dockerode.ContainerCreateOptions & { Image: string },
    limits: RuntimeLimits,
    extras: { healthcheck?: boolean } = {},
  ): Promise<StudentContainer> {
    const image = await this.factsOf(options.Image);
    if (!image.runnable(options.Cmd as string[] | undefined)) throw new NoCommandError();
    const boundBytes = (limits.diskBytes ?? DEFAULT_DISK_BYTES) + OVER_LIMIT_ROOM_BYTES;
    const full: Dockerode.ContainerCreateOptions = {
      ...options,
      Healthcheck: extras.healthcheck ? GRADING_HEALTHCHECK : DISABLED_HEALTHCHECK,
      HostConfig: {
        ...sandboxHostConfig(limits),
        ...options.HostConfig,
        Tmpfs: volumeTmpfs(image.volumes, boundBytes),
      },
    };
    try {
      const container = await this.quota.create((o) => this.docker.createContainer(o), full, boundBytes);
      return { container, volumes: image.volumes.map((v) => v.path), volumeBytes: boundBytes };
    } catch (err) {
      if (isNoCommandRefusal(err)) throw new NoCommandError({ cause: err });
      throw err;
    }
  }

  private factsOf(image: string): Promise<ImageFacts> {
    let facts = this.images.get(image);
    if (!facts) {
      facts = this.readFacts(image);
      this.images.set(image, facts);
      facts.catch(() => this.images.delete(image));
    }
    return facts;
  }

  private async readFacts(image: string): Promise<ImageFacts> {
    const info = await inspectImage(this.docker, image);
    const paths = mountableVolumes(info.volumes);
    // One archive read each: past a few, the rest are root's (an image may declare thousands).
    const owners = await readImageDirectories(this.docker, image, paths.slice(0, OWNERS_READ));
    return {
      runnable: (command) => hasStartCommand(info, command),
      volumes: paths.map((path, i) => ({ path, ...(owners[i] ? { owner: owners[i] } : {}) })),
    };
  }
}

/** The engine's create call, as the quota needs it. */
export type CreateCall = (options: Dockerode.ContainerCreateOptions) => Promise<Dockerode.Container>;

/**
 * A hard cap on the writable layer (`StorageOpt.size`) while the engine may take one.
 * The engine refuses it at create when its storage driver cannot (overlay2 on ext4): a
 * refusal followed by a create that succeeds without the cap means there is none, and it
 * is not asked for again; a create that fails both ways is refused for another reason,
 * which is thrown.
 */
export class StorageQuota {
  /** Undefined until the engine has answered a create with a quota. */
  private supported: boolean | undefined;

  constructor(private readonly logger: Logger) {}

  get available(): boolean | undefined {
    return this.supported;
  }

  /**
   * overlay2 takes a quota only on xfs (mounted with `pquota`, which the engine does not
   * report); vfs and fuse-overlayfs never do. Other drivers are asked at the first create.
   */
  learnFrom(driver: string | undefined, status: [string, string][] | undefined): void {
    const backing = status?.find(([key]) => key === 'Backing Filesystem')?.[1];
    const none = (driver === 'overlay2' && backing !== undefined && backing !== 'xfs') || driver === 'vfs' || driver === 'fuse-overlayfs';
    if (none && this.supported === undefined) this.supported = false;
  }

  async create(call: CreateCall, options: Dockerode.ContainerCreateOptions, bytes: number): Promise<Dockerode.Container> {
    if (this.supported === false) return call(options);
    try {
      const container = await call({ ...options, HostConfig: { ...options.HostConfig, StorageOpt: { size: String(bytes) } } });
      this.supported = true;
      return container;
    } catch (err) {
      if (!isDaemonStatus(err, 400) && !isDaemonStatus(err, 500)) throw err;
      const container = await call(options);
      if (this.supported === undefined) {
        this.supported = false;
        this.logger.debug("this engine's storage driver has no per-container quota: the disk limit is kept by watching the container");
      }
      return container;
    }
  }
}
