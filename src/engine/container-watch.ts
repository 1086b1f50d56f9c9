/**
 * Watching a running container for the limits the engine does not enforce here:
 * - disk: overlay2 has no per-container quota, so the writable layer's size
 *   (`SizeRw`, which costs the engine a `du`) is polled and the container killed past
 *   its limit;
 * - pids: the engine enforces the limit but says nothing when a fork is refused, so the
 *   cgroup's counter is polled (a cheap file read) while the cgroup still exists.
 */
import type Dockerode from 'dockerode';
import { PidsCounter } from './pids-limit.js';

/**
 * `SizeRw` makes the engine walk the layer (a `du`): the next poll waits ten times as long
 * as the last one took, within these bounds, so a layer of few big files (the fast filler:
 * ~1.5 GB/s into the page cache here) is polled often and a layer of many small files,
 * which is slow to walk, costs the engine at most a tenth of a core.
 */
const DISK_POLL_MIN_MS = 250;
export const DISK_POLL_MAX_MS = 2_000;
const DISK_POLL_COST_FACTOR = 10;
const PIDS_POLL_MS = 500;

export interface WatchOptions {
  diskBytes: number;
  /** Kills the container; called once, when the writable layer has grown past `diskBytes`. */
  onDiskExceeded: () => Promise<void>;
}

interface SizedInspect {
  SizeRw?: number;
  State: { Running: boolean };
}

export class ContainerWatch {
  private diskOver = false;
  private refused = 0;
  private stopped = false;
  private timers: NodeJS.Timeout[] = [];
  private diskPollMs = DISK_POLL_MIN_MS;

  private constructor(
    private readonly container: Dockerode.Container,
    private readonly pids: PidsCounter | undefined,
    private readonly options: WatchOptions,
  ) {}

  /** Starts watching a started container whose main process is `pid`. */
  static async start(container: Dockerode.Container, pid: number, options: WatchOptions): Promise<ContainerWatch> {
    const watch = new ContainerWatch(container, await PidsCounter.of(pid), options);
    watch.loop(() => watch.checkDisk(), () => watch.diskPollMs);
    if (watch.pids) watch.loop(() => watch.readPids(), () => PIDS_POLL_MS);
    return watch;
  }

  /** Whether the container was killed for writing past its disk limit. */
  get diskExceeded(): boolean {
    return this.diskOver;
  }

  /** Forks refused by the pids limit so far (as of the last reading). */
  get refusedForks(): number {
    return this.refused;
  }

  /** Whether the counter can be read on this host (else only the output can tell). */
  get countsForks(): boolean {
    return this.pids !== undefined;
  }

  /** Reads the pids counter now (e.g. at the end of an exec), keeping the last value once the cgroup is gone. */
  async readPids(): Promise<number> {
    const value = await this.pids?.read();
    if (value !== undefined) this.refused = Math.max(this.refused, value);
    return this.refused;
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers = [];
  }

  /** Runs `step` after each `interval()`, one at a time, until stopped. */
  private loop(step: () => Promise<unknown>, interval: () => number): void {
    const next = () => {
      if (this.stopped) return;
      const timer = setTimeout(() => {
        this.timers = this.timers.filter((t) => t !== timer);
        void step().catch(() => {}).finally(next);
      }, interval());
      timer.unref();
      this.timers.push(timer);
    };
    next();
  }

  private async checkDisk(): Promise<void> {
    if (this.diskOver) return;
    // dockerode passes the option on as the `size` query parameter; its typings do not list it.
    const inspect = this.container.inspect.bind(this.container) as (options: { size: boolean }) => Promise<SizedInspect>;
    const asked = Date.now();
    const info = await inspect({ size: true });
    this.diskPollMs = Math.min(DISK_POLL_MAX_MS, Math.max(DISK_POLL_MIN_MS, (Date.now() - asked) * DISK_POLL_COST_FACTOR));
    if (!info.State.Running) return this.stop();
    if ((info.SizeRw ?? 0) <= this.options.diskBytes) return;
    this.diskOver = true;
    await this.readPids();
    await this.options.onDiskExceeded();
    this.stop();
  }
}
