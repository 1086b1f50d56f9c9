/**
 * What the disk watch reads about a running container, cheapest first:
 * - the growth of the filesystem that holds its writable layer (`statfs`: one syscall,
 *   used bytes and inodes of the whole filesystem). Other containers write there too, so
 *   it only says when to measure, never who wrote;
 * - the tmpfs mounted at each of its VOLUME paths (`statfs` through the container's root);
 * - its writable layer: our own bounded walk of overlay2's upper directory where the host
 *   can read it, else the engine's `SizeRw`, which walks the whole layer each time.
 */
import { opendir, statfs } from 'node:fs/promises';
import path from 'node:path';
import type Dockerode from 'dockerode';
import { walkLayer } from './layer-walk.js';

/** Bytes and inodes in use on a filesystem. */
export interface FilesystemUse {
  bytes: number;
  inodes: number;
}

/** A layer's size; `entries` when the gauge counts them. `tooMany`: over the entry ceiling, or unmeasurable by path. */
export type LayerReading = { bytes: number; entries?: number } | { tooMany: true } | { unmeasurable: true };

export interface LayerGauge {
  /** Whether readings count entries (and so can enforce an entry ceiling). */
  readonly countsEntries: boolean;
  /** The layer's size, or (when the gauge can stop early) any size past `enoughBytes`; undefined when called off. */
  measure(enoughBytes: number, signal: AbortSignal): Promise<LayerReading | undefined>;
}

/** Reads the use of the filesystem holding `anyPath`; undefined when the host cannot see it. */
export async function filesystemOf(anyPath: string | undefined): Promise<(() => Promise<FilesystemUse | undefined>) | undefined> {
  if (!anyPath) return undefined;
  const read = async (): Promise<FilesystemUse | undefined> => {
    const fs = await statfs(anyPath).catch(() => undefined);
    return fs && { bytes: (fs.blocks - fs.bfree) * fs.bsize, inodes: fs.files - fs.ffree };
  };
  return (await read()) === undefined ? undefined : read;
}

/** Our own walk of the upper directory when it can be read here, else the engine's `SizeRw`. */
export async function layerGauge(container: Dockerode.Container, upperDir: string | undefined, maxEntries: number): Promise<LayerGauge> {
  if (upperDir && (await canList(upperDir))) {
    return {
      countsEntries: true,
      async measure(enoughBytes, signal) {
        const size = await walkLayer(upperDir, { maxEntries, stopAboveBytes: enoughBytes, signal });
        if (size === undefined || 'tooMany' in size) return size && { tooMany: true };
        return size;
      },
    };
  }
  // dockerode passes the option on as the `size` query parameter; its typings do not list it.
  const inspect = container.inspect.bind(container) as (options: { size: boolean }) => Promise<{ SizeRw?: number }>;
  return {
    countsEntries: false,
    async measure() {
      const { SizeRw } = await inspect({ size: true });
      // -1: the engine's own walk failed (e.g. paths longer than PATH_MAX); absent: this engine does not say.
      return SizeRw !== undefined && SizeRw < 0 ? { unmeasurable: true } : { bytes: SizeRw ?? 0 };
    },
  };
}

async function canList(dir: string): Promise<boolean> {
  try {
    await (await opendir(dir)).close();
    return true;
  } catch {
    return false;
  }
}

const TMPFS_MAGIC = 0x01021994;

/**
 * Sums the bytes used on the tmpfs mounted at each of `targets` in the container whose
 * main process is `pid`, seen through `/proc/<pid>/root` (this host, with the right to
 * look into the container). A path that does not lead to a tmpfs of `sizeBytes` (the
 * container moved things around) is left out: its mount's size still bounds it.
 * Undefined when none can be read here.
 */
export async function tmpfsUse(pid: number, targets: readonly string[], sizeBytes: number): Promise<(() => Promise<number>) | undefined> {
  if (!pid || targets.length === 0) return undefined;
  const paths = targets.map((target) => path.posix.join(`/proc/${pid}/root`, target));
  const usedOn = async (mount: string): Promise<number | undefined> => {
    const fs = await statfs(mount).catch(() => undefined);
    if (!fs || fs.type !== TMPFS_MAGIC || Math.abs(fs.blocks * fs.bsize - sizeBytes) >= fs.bsize) return undefined;
    return (fs.blocks - fs.bfree) * fs.bsize;
  };
  const readable = (await Promise.all(paths.map(usedOn))).some((used) => used !== undefined);
  if (!readable) return undefined;
  return async () => (await Promise.all(paths.map(usedOn))).reduce<number>((sum, used) => sum + (used ?? 0), 0);
}
