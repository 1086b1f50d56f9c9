/**
 * Looking into an image without running it: its configuration, and single files read
 * through the archive API of a container that is created but never started.
 */
import type { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import * as tar from 'tar-stream';
import { isDaemonStatus } from './engine-errors.js';
import type { ImageFile, ImageInfo } from './engine.js';
import { CREATED_LABEL, LABEL_PREFIX, RUN_LABEL } from './engine.js';

export async function inspectImage(docker: Dockerode, image: string): Promise<ImageInfo> {
  const info = await docker.getImage(image).inspect();
  const config = info.Config;
  const healthTest = config.Healthcheck?.Test ?? [];
  return {
    id: info.Id,
    sizeBytes: info.Size,
    user: config.User ?? '',
    exposedPorts: tcpPorts(config.ExposedPorts),
    env: envMap(config.Env ?? []),
    labels: config.Labels ?? {},
    workdir: config.WorkingDir ?? '',
    entrypoint: asList(config.Entrypoint),
    cmd: asList(config.Cmd),
    healthcheck: healthTest.length > 0 && healthTest[0] !== 'NONE',
    layers: info.RootFS?.Layers?.length ?? 0,
    volumes: Object.keys(config.Volumes ?? {}).sort(),
  };
}

function tcpPorts(exposed: Record<string, unknown> | null | undefined): number[] {
  return Object.keys(exposed ?? {})
    .map((key) => /^(\d+)(?:\/tcp)?$/.exec(key)?.[1])
    .filter((port): port is string => port !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

function envMap(env: string[]): Record<string, string> {
  const map: Record<string, string> = {};
  for (const entry of env) {
    const eq = entry.indexOf('=');
    if (eq > 0) map[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return map;
}

function asList(value: string | string[] | null | undefined): string[] | null {
  if (value === undefined || value === null) return null;
  return typeof value === 'string' ? [value] : value;
}

export async function readImageFile(docker: Dockerode, image: string, path: string, maxBytes: number): Promise<ImageFile> {
  return withUnstartedContainer(docker, image, 'read-file', async (container) => {
    const archive = await archiveOf(container, path);
    return archive ? firstEntry(archive, maxBytes) : { kind: 'missing' };
  });
}

/** Owner and permission bits of a directory in an image. */
export interface DirectoryOwner {
  uid: number;
  gid: number;
  mode: number;
}

/** The owner of each path that is a directory in the image (one container for them all); undefined for the others. */
export async function readImageDirectories(
  docker: Dockerode,
  image: string,
  paths: readonly string[],
): Promise<(DirectoryOwner | undefined)[]> {
  if (paths.length === 0) return [];
  return withUnstartedContainer(docker, image, 'read-dirs', async (container) => {
    const owners: (DirectoryOwner | undefined)[] = [];
    for (const path of paths) {
      const archive = await archiveOf(container, path);
      owners.push(archive ? await directoryOwner(archive) : undefined);
    }
    return owners;
  });
}

/** A container of `image` that is created, never started, and removed after `work`. */
async function withUnstartedContainer<T>(
  docker: Dockerode,
  image: string,
  purpose: string,
  work: (container: Dockerode.Container) => Promise<T>,
): Promise<T> {
  const imageLabels = (await docker.getImage(image).inspect()).Config.Labels ?? {};
  const runId = imageLabels[RUN_LABEL];
  const container = await docker.createContainer({
    Image: image,
    // Never started; a command is set only because an image without CMD cannot be created.
    Cmd: ['/grader-never-started'],
    Labels: {
      [`${LABEL_PREFIX}.purpose`]: purpose,
      [CREATED_LABEL]: new Date().toISOString(),
      ...(runId ? { [RUN_LABEL]: runId } : {}),
    },
    NetworkDisabled: true,
    HostConfig: { NetworkMode: 'none' },
  });
  try {
    return await work(container);
  } finally {
    await container.remove({ force: true, v: true }).catch(() => {});
  }
}

/** The archive of `path` in the container, or undefined when there is no such path. */
async function archiveOf(container: Dockerode.Container, path: string): Promise<Readable | undefined> {
  try {
    return (await container.getArchive({ path })) as Readable;
  } catch (err) {
    if (isDaemonStatus(err, 404)) return undefined;
    throw err;
  }
}

/** The owner of the archive's first entry (the path asked for) when it is a directory; the rest is dropped unread. */
async function directoryOwner(archive: Readable): Promise<DirectoryOwner | undefined> {
  return withFirstEntry(archive, (header) =>
    header.type === 'directory'
      ? { uid: id(header.uid), gid: id(header.gid), mode: Number.isInteger(header.mode) ? header.mode! & 0o7777 : 0o755 }
      : undefined,
  );
}

/** A user or group id from a tar header, root when it is not a plain one. */
function id(value: number | undefined): number {
  return Number.isInteger(value) && value! >= 0 && value! < 2 ** 32 ? value! : 0;
}

/** Reads the archive's first entry (the path asked for) and drops the rest unread. */
async function firstEntry(archive: Readable, maxBytes: number): Promise<ImageFile> {
  const found = await withFirstEntry<ImageFile>(archive, async (header, entry) => {
    const { type, size } = header;
    if (type !== 'file' && type !== 'contiguous-file') return { kind: 'other', type };
    return { kind: 'file', content: await readEntryHead(entry, maxBytes), truncated: size > maxBytes };
  });
  return found ?? { kind: 'missing' };
}

/** Hands the archive's first entry to `read`, then drops the rest unread; undefined for an empty archive. */
async function withFirstEntry<T>(
  archive: Readable,
  read: (header: tar.Header, entry: AsyncIterable<unknown>) => T | Promise<T>,
): Promise<T | undefined> {
  const extract = tar.extract();
  archive.on('error', (err) => extract.destroy(err));
  archive.pipe(extract);
  try {
    for await (const entry of extract) return await read(entry.header, entry);
    return undefined;
  } finally {
    archive.unpipe(extract);
    archive.destroy();
    extract.destroy();
  }
}

/** The first `maxBytes` of a tar entry; the rest is left unread. */
async function readEntryHead(entry: AsyncIterable<unknown>, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const data of entry) {
    const chunk = data as Buffer;
    const room = maxBytes - length;
    const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
    chunks.push(Buffer.from(kept));
    length += kept.length;
    if (length >= maxBytes) break;
  }
  return Buffer.concat(chunks, length);
}
