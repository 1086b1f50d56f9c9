/**
 * The build context, packed as the Docker CLI packs it: `.dockerignore` honoured
 * (exceptions, `**`, leading `/`), the Dockerfile and `.dockerignore` always sent,
 * symlinks sent as links, file modes kept. Scanning comes first so that an oversized
 * context is refused before a byte is uploaded. The Dockerfile that is built is the
 * text the caller checked, sent under a name of its own: never re-read from disk.
 */
import { createHash } from 'node:crypto';
import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import dockerignoreModule from '@balena/dockerignore';
import tar from 'tar-fs';
import { t } from '../../basics/i18n/catalogue.js';
import { readRegularFile } from '../../basics/read-file.js';
import type { OversizedContext } from '../engine.js';

// The package's types declare an ES default export; it is CommonJS `module.exports = factory`.
const dockerignore = dockerignoreModule as unknown as typeof dockerignoreModule.default;

export interface ContextLimits {
  maxBytes: number;
  maxFiles: number;
}

export const DEFAULT_CONTEXT_LIMITS: ContextLimits = { maxBytes: 50 * 1024 * 1024, maxFiles: 5000 };

/** How many of the largest top-level entries an oversized context names. */
const LARGEST_ENTRIES = 3;
/** Past this multiple of a limit the scan stops counting: the context is refused anyway. */
const SCAN_OVERSHOOT = 20;
/** A `.dockerignore` is a short list of patterns; a longer one is refused rather than read. */
export const MAX_DOCKERIGNORE_BYTES = 64 * 1024;

export interface ContextUsage {
  files: number;
  bytes: number;
}

export interface ContextScan {
  /** Absolute path of the context folder. */
  dir: string;
  /** Context-relative `/`-separated paths to pack; folders too, so the packer reaches into them. */
  paths: Set<string>;
  /** Files and links to send; folders are not counted. */
  files: number;
  /** Bytes of regular files to send. */
  bytes: number;
  /** False when the scan stopped counting far beyond the limits. */
  complete: boolean;
  /** Usage per top-level entry of the context, to say where the bulk is. */
  byTopLevel: Map<string, ContextUsage>;
}

/** The context cannot be packed as it is (an unreadable `.dockerignore`); the message is for the student. */
export class ContextRefusedError extends Error {
  override readonly name = 'ContextRefusedError';
}

/** The Dockerfile to build: its bytes, and the name it travels under in the archive. */
export interface ContextDockerfile {
  name: string;
  content: Buffer;
}

/**
 * The checked Dockerfile as it is sent, named after its content: BuildKit answers a build
 * of the same text under the same name from its cache, while a new name costs a new solve.
 * A file of that name in the context is left out (packContext), so it is always this one.
 */
export function contextDockerfile(text: string): ContextDockerfile {
  const content = Buffer.from(text, 'utf8');
  return { name: `.grader-dockerfile.${createHash('sha256').update(content).digest('hex').slice(0, 20)}`, content };
}

function toPosix(relative: string): string {
  return relative.split(path.sep).join('/');
}

/**
 * The `.dockerignore` patterns, read once: a regular file only (a link to `/dev/stdin` or
 * `/dev/zero` is refused, not followed) and size-capped. Missing means no patterns.
 */
async function readDockerignore(dir: string): Promise<string[]> {
  const read = await readRegularFile(path.join(dir, '.dockerignore'), MAX_DOCKERIGNORE_BYTES);
  switch (read.kind) {
    case 'missing':
      return [];
    case 'file':
      if (read.truncated) {
        throw new ContextRefusedError(t('engine.build.dockerignore_too_large', { kib: MAX_DOCKERIGNORE_BYTES / 1024 }));
      }
      return read.content.toString('utf8').split(/\r?\n/);
    case 'other':
      throw new ContextRefusedError(t('engine.build.dockerignore_not_file', { type: read.type }));
  }
}

/**
 * Scans the context folder. `dockerfile` is the Dockerfile's path relative to it; when it
 * lies inside, it is always sent, as the CLI does, whatever `.dockerignore` says.
 */
export async function scanContext(dir: string, dockerfile: string, limits: ContextLimits): Promise<ContextScan> {
  const root = path.resolve(dir);
  const patterns = await readDockerignore(root);
  const matcher = dockerignore({ ignorecase: false }).add(patterns);
  const exceptions = patterns.some((line) => /^\s*!/.test(line));
  const relative = path.posix.normalize(dockerfile.split(path.sep).join('/'));
  const inside = !relative.startsWith('../') && relative !== '..' && !path.posix.isAbsolute(relative);
  const alwaysSent = new Set(['.dockerignore', ...(inside ? [relative] : [])]);
  const scan: ContextScan = {
    dir: root,
    paths: new Set(),
    files: 0,
    bytes: 0,
    complete: true,
    byTopLevel: new Map(),
  };
  const stopAt = { files: limits.maxFiles * SCAN_OVERSHOOT, bytes: limits.maxBytes * SCAN_OVERSHOOT };

  const leadsToAlwaysSent = (folder: string) => [...alwaysSent].some((p) => p.startsWith(`${folder}/`));

  const count = (relative: string, bytes: number) => {
    scan.files += 1;
    scan.bytes += bytes;
    const top = relative.split('/')[0] ?? relative;
    const usage = scan.byTopLevel.get(top) ?? { files: 0, bytes: 0 };
    usage.files += 1;
    usage.bytes += bytes;
    scan.byTopLevel.set(top, usage);
    if (scan.files > stopAt.files || scan.bytes > stopAt.bytes) scan.complete = false;
  };

  /** Returns whether anything inside `folder` is sent. */
  const walk = async (folder: string): Promise<boolean> => {
    const entries = await readdir(path.join(root, folder), { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    let sentAny = false;
    for (const entry of entries) {
      if (!scan.complete) return sentAny;
      const relative = folder ? `${folder}/${entry.name}` : entry.name;
      const excluded = matcher.ignores(relative) && !alwaysSent.has(relative);
      if (entry.isDirectory()) {
        // Like the CLI: an excluded folder is only entered when an exception might re-include something in it.
        if (excluded && !exceptions && !leadsToAlwaysSent(relative)) continue;
        const inner = await walk(relative);
        if (!excluded || inner) {
          scan.paths.add(relative);
          sentAny = true;
        }
      } else if ((entry.isFile() || entry.isSymbolicLink()) && !excluded) {
        const size = entry.isFile() ? (await lstat(path.join(root, relative))).size : 0;
        scan.paths.add(relative);
        count(relative, size);
        sentAny = true;
      }
    }
    return sentAny;
  };

  await walk('');
  return scan;
}

export function exceedsLimits(scan: ContextScan, limits: ContextLimits): boolean {
  return !scan.complete || scan.files > limits.maxFiles || scan.bytes > limits.maxBytes;
}

/** How far over its limits a context is, and where the bulk of it lies. */
export function oversizedContext(scan: ContextScan, limits: ContextLimits): OversizedContext {
  const largest = [...scan.byTopLevel.entries()]
    .sort((a, b) => b[1].bytes - a[1].bytes || b[1].files - a[1].files)
    .slice(0, LARGEST_ENTRIES)
    .map(([name, usage]) => ({ name, ...usage }));
  return { files: scan.files, bytes: scan.bytes, complete: scan.complete, maxFiles: limits.maxFiles, maxBytes: limits.maxBytes, largest };
}

type PackOptionsWithUmask = tar.PackOptions & { umask: number; sort: boolean };

/**
 * The time on the Dockerfile added to the context. Fixed, so that the same submission sends
 * the same bytes every time: the builder then takes the context's copy from its cache
 * (a time of now costs a warm build some 40 to 60 ms).
 */
const DOCKERFILE_MTIME = new Date(0);

/** The tar stream of a scanned context plus the Dockerfile to build. Owners are reset to root, as the CLI does. */
export function packContext(scan: ContextScan, dockerfile: ContextDockerfile): tar.Pack {
  const topLevel = [...scan.paths].filter((p) => !p.includes('/') && p !== dockerfile.name).sort();
  const options: PackOptionsWithUmask = {
    entries: topLevel,
    ignore: (absolute) => !scan.paths.has(toPosix(path.relative(scan.dir, absolute))),
    map: (header) => ({ ...header, uid: 0, gid: 0 }),
    umask: 0,
    sort: true,
    strict: false,
    finalize: false,
    finish: (pack) => {
      pack.entry({ name: dockerfile.name, mode: 0o644, size: dockerfile.content.length, mtime: DOCKERFILE_MTIME }, dockerfile.content);
      pack.finalize();
    },
  };
  return tar.pack(scan.dir, options);
}
