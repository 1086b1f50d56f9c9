/**
 * Reading files of the submission without ever leaving it: a path is resolved one
 * component at a time and a symlink (or `..`) that points outside the root is refused,
 * so a student cannot make the grader read the runner's files through a link.
 */
import { lstat, open, readlink } from 'node:fs/promises';
import path from 'node:path';

export type RepoFile =
  | { kind: 'file'; content: Buffer; truncated: boolean; realPath: string }
  | { kind: 'missing' }
  | { kind: 'outside'; target: string }
  | { kind: 'other'; type: string };

/** Resolves `relative` inside `root`, following links only while they stay inside. */
export async function resolveInside(root: string, relative: string): Promise<{ path: string } | { outside: string } | { missing: true }> {
  const rootAbs = path.resolve(root);
  const parts = relative.split(/[\\/]+/).filter((p) => p !== '' && p !== '.');
  let current = rootAbs;
  let hops = 0;
  const queue = [...parts];
  while (queue.length > 0) {
    const part = queue.shift()!;
    const next = part === '..' ? path.dirname(current) : path.join(current, part);
    if (!isInside(rootAbs, next)) return { outside: relative };
    const stat = await lstat(next).catch(() => undefined);
    if (!stat) return { missing: true };
    if (stat.isSymbolicLink()) {
      if (++hops > 40) return { outside: relative };
      const target = await readlink(next);
      const resolved = path.resolve(path.dirname(next), target);
      if (!isInside(rootAbs, resolved)) return { outside: target };
      queue.unshift(...path.relative(rootAbs, resolved).split(path.sep).filter(Boolean));
      current = rootAbs;
      continue;
    }
    current = next;
  }
  return { path: current };
}

export async function readRepoFile(root: string, relative: string, maxBytes: number): Promise<RepoFile> {
  const resolved = await resolveInside(root, relative);
  if ('missing' in resolved) return { kind: 'missing' };
  if ('outside' in resolved) return { kind: 'outside', target: resolved.outside };
  const stat = await lstat(resolved.path);
  if (!stat.isFile()) return { kind: 'other', type: stat.isDirectory() ? 'directory' : 'special file' };
  const handle = await open(resolved.path, 'r');
  try {
    const size = Math.min(stat.size, maxBytes);
    const content = Buffer.alloc(size);
    const { bytesRead } = await handle.read(content, 0, size, 0);
    return { kind: 'file', content: content.subarray(0, bytesRead), truncated: stat.size > maxBytes, realPath: resolved.path };
  } finally {
    await handle.close();
  }
}

export function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
