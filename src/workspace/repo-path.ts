/**
 * Opens paths inside the submission without ever following a symlink out of it:
 * each component is lstat-ed and links are resolved by hand against the repo root.
 */
import { constants } from 'node:fs';
import { lstat, open, readlink, realpath } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import path from 'node:path';

export type RepoPath =
  | { ok: true; absolute: string; stats: Stats }
  | { ok: false; reason: 'missing' | 'outside' | 'loop'; message: string };

const MAX_LINK_HOPS = 40;

/** Resolves `relative` (a `/`-separated path inside the repo) to an existing entry inside `repoDir`. */
export async function resolveInRepo(repoDir: string, relative: string): Promise<RepoPath> {
  const root = await realpath(repoDir);
  if (path.posix.isAbsolute(relative) || path.win32.isAbsolute(relative)) {
    return { ok: false, reason: 'outside', message: `${relative} is an absolute path; paths are relative to the repository root` };
  }
  const pending = splitPath(relative);
  let current = root;
  let hops = 0;
  while (pending.length > 0) {
    const part = pending.shift()!;
    if (part === '.') continue;
    if (part === '..') {
      if (current === root) return outside(relative);
      current = path.dirname(current);
      continue;
    }
    const next = path.join(current, part);
    let stats: Stats;
    try {
      stats = await lstat(next);
    } catch (error) {
      if (isNotFound(error)) return { ok: false, reason: 'missing', message: `${relative} does not exist in the repository` };
      throw error;
    }
    if (!stats.isSymbolicLink()) {
      current = next;
      continue;
    }
    if (++hops > MAX_LINK_HOPS) return { ok: false, reason: 'loop', message: `${relative} is a symlink loop` };
    const target = await readlink(next);
    if (path.isAbsolute(target)) {
      const fromRoot = path.relative(root, target);
      if (fromRoot.startsWith('..') || path.isAbsolute(fromRoot)) return outside(relative);
      current = root;
      pending.unshift(...splitPath(fromRoot));
    } else {
      pending.unshift(...splitPath(target));
    }
  }
  return { ok: true, absolute: current, stats: await lstat(current) };
}

function outside(relative: string): RepoPath {
  return {
    ok: false,
    reason: 'outside',
    message: `${relative} leads outside the repository (through a symlink or ..), so it is not read`,
  };
}

function splitPath(p: string): string[] {
  return p.split(/[\\/]+/).filter((part) => part !== '');
}

function isNotFound(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

export type RegularFileRead =
  | { kind: 'file'; content: Buffer; truncated: boolean }
  | { kind: 'missing' }
  | { kind: 'other'; type: string };

/**
 * Reads at most `maxBytes` of a regular file. Anything else (a link, a FIFO, a device such
 * as `/dev/stdin` or `/dev/zero`, a folder) is reported, never opened for reading: the
 * open neither follows a link nor blocks on a FIFO, and the type is checked on the open file.
 */
export async function readRegularFile(absolute: string, maxBytes: number): Promise<RegularFileRead> {
  let handle: FileHandle;
  try {
    handle = await open(absolute, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    if (isNotFound(error)) return { kind: 'missing' };
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') return { kind: 'other', type: 'a symbolic link' };
    throw error;
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) return { kind: 'other', type: describeType(stats) };
    const buffer = Buffer.alloc(Math.min(maxBytes, stats.size) + 1);
    let filled = 0;
    while (filled < buffer.length) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return { kind: 'file', content: buffer.subarray(0, Math.min(filled, maxBytes)), truncated: filled > maxBytes };
  } finally {
    await handle.close();
  }
}

/** Reads at most `maxBytes` of a regular file; throws for anything else. */
export async function readCapped(absolute: string, maxBytes: number): Promise<{ content: Buffer; truncated: boolean }> {
  const read = await readRegularFile(absolute, maxBytes);
  if (read.kind === 'file') return read;
  throw new Error(read.kind === 'missing' ? `${absolute} does not exist` : `${absolute} is not a regular file (it is ${read.type})`);
}

function describeType(stats: Stats): string {
  if (stats.isDirectory()) return 'a folder';
  if (stats.isFIFO()) return 'a named pipe';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}
