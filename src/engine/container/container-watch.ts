/**
 * Watching a running container for the limits the engine does not enforce here:
 * - disk: overlay2 on most filesystems has no per-container quota, so the container's
 *   writable layer and its VOLUME tmpfs mounts are measured (disk-gauge.ts) and the
 *   container is killed past its limit. A measure of the layer costs a walk, so it runs
 *   every few hundred milliseconds, and at once when the cheap `statfs` of the layer's
 *   filesystem shows enough growth since the last one to have crossed the limit;
 * - pids: the engine enforces the limit but says nothing when a fork is refused, so the
 *   cgroup's counter is polled (a cheap file read) while the cgroup still exists.
 */
import type Dockerode from 'dockerode';
import { filesystemOf, layerGauge, tmpfsUse } from './disk-gauge.js';
import type { FilesystemUse, LayerGauge } from './disk-gauge.js';
import { PidsCounter } from './pids-limit.js';

/**
 * A measure waits ten times as long as the last one took, within these bounds: a small
 * layer is measured often, a layer of many files costs at most a tenth of a core.
 */
const DISK_POLL_MIN_MS = 250;
export const DISK_POLL_MAX_MS = 2_000;
const DISK_POLL_COST_FACTOR = 10;
/** How often the filesystem's growth (and the VOLUME tmpfs mounts) are read: a `statfs` each. */
const DISK_TRIGGER_MS = 50;
/**
 * Entries the layer may hold (files, directories, deletions of image files). Past it the
 * container is killed: a walk of this many entries takes a quarter to half a second
 * here, and what an app needs this many of (its dependencies) belongs in the image. It
 * also bounds the inodes a container can use up.
 */
export const MAX_LAYER_ENTRIES = 50_000;
/** A measure the growth asks for waits out this fraction of the last one's cost. */
const HURRY_GAP_DIVISOR = 4;
/**
 * Measures called off in a row at most: a restarted walk must finish, or a writer (or
 * anyone else writing on the same filesystem) could keep every walk from ending.
 */
const MAX_RESTARTS = 1;
/** The engine's size could not be had this many times in a row: the layer is unmeasurable. */
const UNMEASURABLE_AFTER = 2;
const PIDS_POLL_MS = 500;
/** VOLUME mounts read at each tick; the others are bounded only by their size and the memory limit. */
const MEASURED_VOLUMES = 32;

export interface WatchOptions {
  diskBytes: number;
  /** The image's VOLUME paths, each a tmpfs of `volumeBytes` whose use counts toward `diskBytes`. */
  volumes: readonly string[];
  volumeBytes: number;
  /** Where the engine keeps its data, when it runs on this host: the filesystem whose growth triggers a measure. */
  dataRoot?: string;
  /** Kills the container; called once, when it is over its disk limit ('disk') or its entry ceiling ('files'). */
  onDiskExceeded: (reason: 'disk' | 'files') => Promise<void>;
}

/** What `docker inspect` says of the started container that the watch needs. */
export interface WatchedContainer {
  State: { Pid: number };
  GraphDriver?: { Data?: unknown };
}

interface Baseline {
  layerBytes: number;
  entries?: number;
  /** The filesystem's use just before the layer was measured. */
  fs?: FilesystemUse;
}

export class ContainerWatch {
  private diskOver = false;
  private refused = 0;
  private stopped = false;
  private timers = new Set<NodeJS.Timeout>();
  private measureTimer: NodeJS.Timeout | undefined;
  /** The measure under way: the filesystem's use when it began, and how to call it off. */
  private current: { fs?: FilesystemUse; abort: AbortController } | undefined;
  private lastCostMs = 0;
  private lastMeasureEnd = 0;
  private unmeasurable = 0;
  private restarts = 0;
  private baseline: Baseline | undefined;

  private constructor(
    private readonly pids: PidsCounter | undefined,
    private readonly layer: LayerGauge,
    private readonly fsUse: (() => Promise<FilesystemUse | undefined>) | undefined,
    private readonly volumeUse: (() => Promise<number>) | undefined,
    private readonly options: WatchOptions,
  ) {}

  /** Starts watching a started container, as `docker inspect` described it. */
  static async start(container: Dockerode.Container, info: WatchedContainer, options: WatchOptions): Promise<ContainerWatch> {
    const pid = info.State.Pid;
    const upperDir = upperDirOf(info);
    const layer = await layerGauge(container, upperDir, MAX_LAYER_ENTRIES);
    const [pids, fsUse, volumeUse] = await Promise.all([
      PidsCounter.of(pid),
      filesystemOf(layer.countsEntries ? upperDir : options.dataRoot),
      tmpfsUse(pid, options.volumes.slice(0, MEASURED_VOLUMES), options.volumeBytes),
    ]);
    const watch = new ContainerWatch(pids, layer, fsUse, volumeUse, options);
    watch.scheduleMeasure(0);
    if (fsUse || volumeUse) watch.loop(() => watch.checkGrowth(), DISK_TRIGGER_MS);
    if (pids) watch.loop(() => watch.readPids(), PIDS_POLL_MS);
    return watch;
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
    this.current?.abort.abort();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  /** Runs `step` every `intervalMs`, one at a time, until stopped. */
  private loop(step: () => Promise<unknown>, intervalMs: number): void {
    this.after(intervalMs, () => {
      void step()
        .catch(() => {})
        .finally(() => {
          if (!this.stopped) this.loop(step, intervalMs);
        });
    });
  }

  private after(ms: number, work: () => void): NodeJS.Timeout | undefined {
    if (this.stopped) return undefined;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      work();
    }, ms);
    timer.unref();
    this.timers.add(timer);
    return timer;
  }

  /** (Re)schedules the next measure of the layer, `delayMs` from now. */
  private scheduleMeasure(delayMs: number): void {
    if (this.current || this.diskOver) return;
    if (this.measureTimer) {
      clearTimeout(this.measureTimer);
      this.timers.delete(this.measureTimer);
    }
    this.measureTimer = this.after(delayMs, () => {
      this.measureTimer = undefined;
      let next = DISK_POLL_MAX_MS;
      void this.measure()
        .then((delay) => (next = delay))
        .catch(() => {})
        .finally(() => {
          this.current = undefined;
          this.scheduleMeasure(next);
        });
    });
  }

  /** Measures soon: a quarter of the last measure's cost after it (at most 80% of a core, however often it is asked). */
  private hurryMeasure(): void {
    this.scheduleMeasure(Math.max(0, this.lastMeasureEnd + this.lastCostMs / HURRY_GAP_DIVISOR - Date.now()));
  }

  /** Measures the layer and the volumes, kills past a limit; returns when to measure next. */
  private async measure(): Promise<number> {
    const abort = new AbortController();
    this.current = { abort };
    const [fs, volumes = 0] = await Promise.all([this.fsUse?.(), this.volumeUse?.()]);
    this.current = { ...(fs ? { fs } : {}), abort };
    const started = Date.now();
    const reading = await this.layer.measure(this.options.diskBytes - volumes, abort.signal);
    if (this.stopped) return DISK_POLL_MAX_MS;
    if (reading === undefined) {
      // Called off: enough was written while it walked to cross the limit. Again, at once.
      this.restarts += 1;
      return 0;
    }
    this.restarts = 0;
    this.lastMeasureEnd = Date.now();
    this.lastCostMs = this.lastMeasureEnd - started;
    const next = Math.min(DISK_POLL_MAX_MS, Math.max(DISK_POLL_MIN_MS, this.lastCostMs * DISK_POLL_COST_FACTOR));
    if ('tooMany' in reading) return this.exceeded('files');
    if ('unmeasurable' in reading) {
      if (++this.unmeasurable >= UNMEASURABLE_AFTER) return this.exceeded('files');
      return next;
    }
    this.unmeasurable = 0;
    if (reading.bytes + volumes > this.options.diskBytes) return this.exceeded('disk');
    this.baseline = {
      layerBytes: reading.bytes,
      ...(reading.entries !== undefined ? { entries: reading.entries } : {}),
      ...(fs ? { fs } : {}),
    };
    return next;
  }

  /**
   * The cheap reading: could the container have crossed a limit since the last measure
   * began? Then measure now; and if one is under way that began before the growth, call it
   * off and start again rather than finish a walk that may have passed the growth by.
   */
  private async checkGrowth(): Promise<void> {
    const base = this.baseline;
    if (!base || this.diskOver) return;
    const [fs, volumes = 0] = await Promise.all([this.fsUse?.(), this.volumeUse?.()]);
    const current = this.current;
    const since = current ? current.fs : base.fs;
    const grownBytes = fs && since ? Math.max(0, fs.bytes - since.bytes) : 0;
    const grownInodes = fs && since ? Math.max(0, fs.inodes - since.inodes) : 0;
    const overBytes = base.layerBytes + grownBytes + volumes > this.options.diskBytes;
    const overEntries = base.entries !== undefined && base.entries + grownInodes > MAX_LAYER_ENTRIES;
    if (!overBytes && !overEntries) return;
    if (!current) return this.hurryMeasure();
    if (this.restarts < MAX_RESTARTS) current.abort.abort();
  }

  private async exceeded(reason: 'disk' | 'files'): Promise<number> {
    if (!this.diskOver) {
      this.diskOver = true;
      await this.readPids();
      await this.options.onDiskExceeded(reason);
      this.stop();
    }
    return DISK_POLL_MAX_MS;
  }
}

/** overlay2's upper directory: the container's writable layer on the host. */
function upperDirOf(info: WatchedContainer): string | undefined {
  const data = info.GraphDriver?.Data;
  const upper = typeof data === 'object' && data !== null ? (data as { UpperDir?: unknown }).UpperDir : undefined;
  return typeof upper === 'string' && upper.startsWith('/') ? upper : undefined;
}
