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
  const imageLabels = (await docker.getImage(image).inspect()).Config.Labels ?? {};
  const runId = imageLabels[RUN_LABEL];
  const container = await docker.createContainer({
    Image: image,
    // Never started; a command is set only because an image without CMD cannot be created.
    Cmd: ['/grader-never-started'],
    Labels: {
      [`${LABEL_PREFIX}.purpose`]: 'read-file',
      [CREATED_LABEL]: new Date().toISOString(),
      ...(runId ? { [RUN_LABEL]: runId } : {}),
    },
    NetworkDisabled: true,
    HostConfig: { NetworkMode: 'none' },
  });
  try {
    let archive: Readable;
    try {
      archive = (await container.getArchive({ path })) as Readable;
    } catch (err) {
      if (isDaemonStatus(err, 404)) return { kind: 'missing' };
      throw err;
    }
    return await firstEntry(archive, maxBytes);
  } finally {
    await container.remove({ force: true, v: true }).catch(() => {});
  }
}

/** Reads the archive's first entry (the path asked for) and drops the rest unread. */
async function firstEntry(archive: Readable, maxBytes: number): Promise<ImageFile> {
  const extract = tar.extract();
  archive.on('error', (err) => extract.destroy(err));
  archive.pipe(extract);
  try {
    for await (const entry of extract) {
      const { type, size } = entry.header;
      if (type !== 'file' && type !== 'contiguous-file') return { kind: 'other', type };
      return { kind: 'file', content: await readCapped(entry, maxBytes), truncated: size > maxBytes };
    }
    return { kind: 'missing' };
  } finally {
    archive.unpipe(extract);
    archive.destroy();
    extract.destroy();
  }
}

async function readCapped(entry: AsyncIterable<unknown>, maxBytes: number): Promise<Buffer> {
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
