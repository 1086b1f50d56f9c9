/**
 * Measuring a container's writable layer (overlay2's upper directory) from the host,
 * without asking the engine: a walk that sums what each entry takes on disk (like `du`)
 * and gives up past a number of entries, so its cost is bounded whatever the container
 * made. A layer with more entries than that is itself over the limit; so is one whose
 * paths are too long for the host to name (a directory tree deeper than PATH_MAX), which
 * no walk by path can measure.
 */
import { lstatSync, opendirSync } from 'node:fs';
import type { Dir, Stats } from 'node:fs';
import path from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';

export type LayerSize =
  /** `over`: the walk stopped once `bytes` passed `stopAboveBytes`, so the layer holds at least that much. */
  | { bytes: number; entries: number; over?: true }
  /** More than `maxEntries` entries, or paths too long to name: the walk stopped. */
  | { tooMany: true; entries: number };

export interface WalkOptions {
  maxEntries: number;
  /** Stop as soon as the sum passes this: the verdict is known, the rest of the walk would only cost. */
  stopAboveBytes?: number;
  /** Entries walked between two yields to the event loop (the walk is synchronous in between). */
  sliceEntries?: number;
  /** Looked at between slices: the walk stops and returns undefined once it is aborted. */
  signal?: AbortSignal;
}

/** Synchronous calls in slices: far cheaper per entry than one promise per `lstat`, and the event loop still breathes. */
const DEFAULT_SLICE_ENTRIES = 1_000;

export async function walkLayer(root: string, options: WalkOptions): Promise<LayerSize | undefined> {
  const slice = options.sliceEntries ?? DEFAULT_SLICE_ENTRIES;
  const stopAbove = options.stopAboveBytes ?? Infinity;
  const pending = [root];
  let bytes = 0;
  let entries = 0;
  let sinceYield = 0;
  while (pending.length > 0) {
    const dir = pending.pop()!;
    const listing = openListing(dir);
    if (listing === 'too-long') return { tooMany: true, entries };
    if (listing === undefined) continue;
    try {
      for (let entry = listing.readSync(); entry !== null; entry = listing.readSync()) {
        entries += 1;
        if (entries > options.maxEntries) return { tooMany: true, entries };
        const full = path.join(dir, entry.name);
        const stat = statOf(full);
        if (stat === 'too-long') return { tooMany: true, entries };
        if (stat === undefined) continue; // removed while we walked
        bytes += stat.blocks * 512;
        if (bytes > stopAbove) return { bytes, entries, over: true };
        if (stat.isDirectory()) pending.push(full);
        if (++sinceYield >= slice) {
          sinceYield = 0;
          await yieldToEventLoop();
          if (options.signal?.aborted) return undefined;
        }
      }
    } finally {
      listing.closeSync();
    }
  }
  return { bytes, entries };
}

function openListing(dir: string): Dir | 'too-long' | undefined {
  try {
    return opendirSync(dir, { bufferSize: 1024 });
  } catch (err) {
    return settle(err);
  }
}

function statOf(file: string): Stats | 'too-long' | undefined {
  try {
    return lstatSync(file);
  } catch (err) {
    return settle(err);
  }
}

/** Gone (or replaced by a file) while we walked: skip it. Too long to name: unmeasurable. Anything else is a real failure. */
function settle(err: unknown): 'too-long' | undefined {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
  if (code === 'ENAMETOOLONG' || code === 'ELOOP') return 'too-long';
  throw err;
}
