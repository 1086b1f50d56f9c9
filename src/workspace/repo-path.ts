/**
 * Opens paths inside the submission without ever following a symlink out of it:
 * each component is lstat-ed and links are resolved by hand against the repo root.
 */
import { lstat, readlink, realpath } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import path from 'node:path';
import { t } from '../basics/i18n/catalogue.js';

export type RepoPath =
  { ok: true; absolute: string; stats: Stats } | { ok: false; reason: 'missing' | 'outside' | 'loop'; message: string };

const MAX_LINK_HOPS = 40;

/** Resolves `relative` (a `/`-separated path inside the repo) to an existing entry inside `repoDir`. */
export async function resolveInRepo(repoDir: string, relative: string): Promise<RepoPath> {
  const root = await realpath(repoDir);
  if (path.posix.isAbsolute(relative) || path.win32.isAbsolute(relative)) {
    return { ok: false, reason: 'outside', message: t('workspace.path.absolute', { path: relative }) };
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
      if (isNotFound(error)) return { ok: false, reason: 'missing', message: t('workspace.path.missing', { path: relative }) };
      throw error;
    }
    if (!stats.isSymbolicLink()) {
      current = next;
      continue;
    }
    if (++hops > MAX_LINK_HOPS) return { ok: false, reason: 'loop', message: t('workspace.path.loop', { path: relative }) };
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
    message: t('workspace.path.outside', { path: relative }),
  };
}

function splitPath(p: string): string[] {
  return p.split(/[\\/]+/).filter((part) => part !== '');
}

function isNotFound(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
