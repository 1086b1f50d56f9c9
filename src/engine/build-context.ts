/**
 * The build context, packed as the Docker CLI packs it: `.dockerignore` honoured
 * (exceptions, `**`, leading `/`), the Dockerfile and `.dockerignore` always sent,
 * symlinks sent as links, file modes kept. Scanning comes first so that an oversized
 * context is refused before a byte is uploaded.
 */
import { randomBytes } from 'node:crypto';
import { lstat, readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import dockerignoreModule from '@balena/dockerignore';
import type { Ignore } from '@balena/dockerignore';
import tar from 'tar-fs';

// The package's types declare an ES default export; it is CommonJS `module.exports = factory`.
const dockerignore = dockerignoreModule as unknown as typeof dockerignoreModule.default;

export interface ContextLimits {
  maxBytes: number;
  maxFiles: number;
}

export const DEFAULT_CONTEXT_LIMITS: ContextLimits = { maxBytes: 50 * 1024 * 1024, maxFiles: 5000 };

/** Past this multiple of a limit the scan stops counting: the context is refused anyway. */
const SCAN_OVERSHOOT = 20;
const MAX_DOCKERFILE_BYTES = 1024 * 1024;

export interface ContextUsage {
  files: number;
  bytes: number;
}

export interface ContextScan {
  /** Absolute path of the context folder. */
  dir: string;
  /** Context-relative `/`-separated paths to pack; folders too, so the packer reaches into them. */
  paths: Set<string>;
  /** The Dockerfile's name in the archive: the build's `dockerfile` option. */
  dockerfileName: string;
  /** A Dockerfile from outside the context, sent under `dockerfileName` (as the CLI does). */
  outsideDockerfile?: Buffer;
  /** Files and links to send; folders are not counted. */
  files: number;
  /** Bytes of regular files to send. */
  bytes: number;
  /** False when the scan stopped counting far beyond the limits. */
  complete: boolean;
  /** Usage per top-level entry of the context, to say where the bulk is. */
  byTopLevel: Map<string, ContextUsage>;
}

export class DockerfileNotFoundError extends Error {
  override readonly name = 'DockerfileNotFoundError';
}

function formatBytes(bytes: number): string {
  return bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function toPosix(relative: string): string {
  return relative.split(path.sep).join('/');
}

async function readDockerignore(dir: string): Promise<Ignore> {
  const matcher = dockerignore({ ignorecase: false });
  try {
    const file = path.join(dir, '.dockerignore');
    if ((await lstat(file)).isFile()) matcher.add((await readFile(file, 'utf8')).split(/\r?\n/));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  return matcher;
}

async function hasExceptions(dir: string): Promise<boolean> {
  try {
    return /^\s*!/m.test(await readFile(path.join(dir, '.dockerignore'), 'utf8'));
  } catch {
    return false;
  }
}

/** Where the Dockerfile goes in the archive, and its bytes when it lives outside the context. */
async function locateDockerfile(dir: string, dockerfile: string): Promise<{ name: string; outside?: Buffer }> {
  const absolute = path.resolve(dir, dockerfile);
  const stat = await lstat(absolute).catch(() => undefined);
  if (!stat || stat.isDirectory()) throw new DockerfileNotFoundError(`There is no Dockerfile at ${dockerfile}.`);
  const relative = path.relative(dir, absolute);
  if (!relative.startsWith('..') && !path.isAbsolute(relative)) return { name: toPosix(relative) };
  if (!stat.isFile()) throw new DockerfileNotFoundError(`The Dockerfile ${dockerfile} outside the context is not a regular file.`);
  if (stat.size > MAX_DOCKERFILE_BYTES) throw new DockerfileNotFoundError(`The Dockerfile ${dockerfile} is larger than 1 MiB.`);
  return { name: `.dockerfile.${randomBytes(10).toString('hex')}`, outside: await readFile(absolute) };
}

export async function scanContext(dir: string, dockerfile: string, limits: ContextLimits): Promise<ContextScan> {
  const root = path.resolve(dir);
  const located = await locateDockerfile(root, dockerfile);
  const matcher = await readDockerignore(root);
  const exceptions = await hasExceptions(root);
  const alwaysSent = new Set(['.dockerignore', ...(located.outside ? [] : [located.name])]);
  const scan: ContextScan = {
    dir: root,
    paths: new Set(),
    dockerfileName: located.name,
    outsideDockerfile: located.outside,
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

export function oversizeMessage(scan: ContextScan, limits: ContextLimits): string {
  const atLeast = scan.complete ? '' : 'at least ';
  const biggest = [...scan.byTopLevel.entries()]
    .sort((a, b) => b[1].bytes - a[1].bytes || b[1].files - a[1].files)
    .slice(0, 3)
    .map(([name, usage]) => `${name} (${usage.files} files, ${formatBytes(usage.bytes)})`);
  return (
    `The build context is too large: ${atLeast}${scan.files} files, ${atLeast}${formatBytes(scan.bytes)}; ` +
    `the limit is ${limits.maxFiles} files and ${formatBytes(limits.maxBytes)}. ` +
    `The largest entries: ${biggest.join(', ')}. ` +
    `Add a .dockerignore at the root of the build context to leave out what the image does not need ` +
    `(for example node_modules, .git, build output, data files).`
  );
}

type PackOptionsWithUmask = tar.PackOptions & { umask: number; sort: boolean };

/** The tar stream of a scanned context. Owners are reset to root, as the CLI does. */
export function packContext(scan: ContextScan): tar.Pack {
  const topLevel = [...scan.paths].filter((p) => !p.includes('/')).sort();
  const outside = scan.outsideDockerfile;
  const options: PackOptionsWithUmask = {
    entries: topLevel,
    ignore: (absolute) => !scan.paths.has(toPosix(path.relative(scan.dir, absolute))),
    map: (header) => ({ ...header, uid: 0, gid: 0 }),
    umask: 0,
    sort: true,
    strict: false,
    finalize: outside === undefined,
    finish: (pack) => {
      if (outside === undefined) return;
      pack.entry({ name: scan.dockerfileName, mode: 0o644, size: outside.length, mtime: new Date() }, outside);
      pack.finalize();
    },
  };
  return tar.pack(scan.dir, options);
}
