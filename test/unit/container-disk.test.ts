/**
 * The disk sandbox's parts that need no engine: the bounded walk of a writable layer (on
 * real folders), the quota probe (on a create call of our own), and the VOLUME tmpfs
 * mounts' options.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type Dockerode from 'dockerode';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StorageQuota } from '../../src/engine/container/container-create.js';
import { walkLayer } from '../../src/engine/container/layer-walk.js';
import { mountableVolumes, volumeTmpfs } from '../../src/engine/container/sandbox-config.js';
import { collectingLogger } from '../helpers/hostile.js';

const run = promisify(execFile);

describe('walkLayer', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'grader-layer-'));
  });
  afterEach(async () => {
    // rm walks with file descriptors, so it removes trees too deep to name by path.
    await run('rm', ['-rf', dir]);
  });

  it('sums what the entries take on disk, sparse files by their blocks, and counts them', async () => {
    await mkdir(path.join(dir, 'a/b'), { recursive: true });
    await writeFile(path.join(dir, 'a/b/data'), Buffer.alloc(3 * 1024 * 1024, 1));
    await writeFile(path.join(dir, 'empty'), '');
    await writeFile(path.join(dir, 'sparse'), '');
    await truncate(path.join(dir, 'sparse'), 100 * 1024 * 1024); // takes no blocks
    // A symlink is measured, never followed: the target is large.
    await symlink('/usr', path.join(dir, 'link'));
    const size = await walkLayer(dir, { maxEntries: 100 });
    expect(size).toMatchObject({ entries: 6 });
    const { bytes } = size as { bytes: number };
    expect(bytes).toBeGreaterThanOrEqual(3 * 1024 * 1024);
    expect(bytes).toBeLessThan(3 * 1024 * 1024 + 64 * 1024);
  });

  it('stops past the entry ceiling, in slices', async () => {
    await mkdir(path.join(dir, 'many'));
    await Promise.all(Array.from({ length: 120 }, (_, i) => writeFile(path.join(dir, 'many', String(i)), '')));
    expect(await walkLayer(dir, { maxEntries: 121, sliceEntries: 7 })).toMatchObject({ entries: 121 });
    expect(await walkLayer(dir, { maxEntries: 100, sliceEntries: 7 })).toEqual({ tooMany: true, entries: 101 });
  });

  it('stops once the sum is past what it was asked to find, and when it is called off', async () => {
    await Promise.all(Array.from({ length: 30 }, (_, i) => writeFile(path.join(dir, String(i)), Buffer.alloc(64 * 1024, 1))));
    const past = await walkLayer(dir, { maxEntries: 100, stopAboveBytes: 256 * 1024 });
    expect(past).toMatchObject({ over: true });
    expect((past as { entries: number }).entries).toBeLessThan(30);
    const abort = new AbortController();
    abort.abort();
    expect(await walkLayer(dir, { maxEntries: 100, sliceEntries: 5, signal: abort.signal })).toBeUndefined();
    expect(await walkLayer(dir, { maxEntries: 100, sliceEntries: 5 })).toMatchObject({ entries: 30 });
  });

  it('calls a tree whose paths are longer than the host can name unmeasurable', async () => {
    // Made with relative paths, as a container can: 20 levels of 250 characters, past PATH_MAX.
    await run(
      'sh',
      ['-c', 'n=$(printf "%0250d" 0); i=0; while [ $i -lt 20 ]; do mkdir $n && cd -P $n || exit 1; i=$((i+1)); done; echo x > f', 'deep'],
      { cwd: dir },
    );
    expect(await walkLayer(dir, { maxEntries: 1_000 })).toMatchObject({ tooMany: true });
  });
});

describe('StorageQuota', () => {
  const refused = (status: number, message: string) => Object.assign(new Error(message), { statusCode: status });
  const container = {} as Dockerode.Container;

  function engine(quotas: boolean, otherwise?: Error) {
    const calls: Dockerode.ContainerCreateOptions[] = [];
    const create = async (options: Dockerode.ContainerCreateOptions) => {
      calls.push(options);
      if (otherwise) throw otherwise;
      if (options.HostConfig?.StorageOpt && !quotas)
        throw refused(500, "--storage-opt is supported only for overlay over xfs with 'pquota' mount option");
      return container;
    };
    return { calls, create };
  }

  it('caps the layer where the engine can, and keeps asking for it', async () => {
    const quota = new StorageQuota(collectingLogger());
    const { calls, create } = engine(true);
    await quota.create(create, { Image: 'x' }, 1024);
    await quota.create(create, { Image: 'x' }, 2048);
    expect(quota.available).toBe(true);
    expect(calls.map((c) => c.HostConfig?.StorageOpt)).toEqual([{ size: '1024' }, { size: '2048' }]);
  });

  it('learns from the first refusal that there is no quota, and asks no more', async () => {
    const logger = collectingLogger();
    const quota = new StorageQuota(logger);
    const { calls, create } = engine(false);
    expect(await quota.create(create, { Image: 'x' }, 1024)).toBe(container);
    expect(await quota.create(create, { Image: 'x' }, 1024)).toBe(container);
    expect(quota.available).toBe(false);
    expect(calls.map((c) => c.HostConfig?.StorageOpt)).toEqual([{ size: '1024' }, undefined, undefined]);
    expect(logger.lines.join('\n')).toMatch(/no per-container quota/);
  });

  it('asks no driver for a quota that the engine says cannot have one', async () => {
    for (const [driver, status] of [
      ['overlay2', [['Backing Filesystem', 'extfs']]],
      ['vfs', undefined],
      ['fuse-overlayfs', undefined],
    ] as const) {
      const quota = new StorageQuota(collectingLogger());
      quota.learnFrom(
        driver,
        status?.map(([k, v]) => [k, v] as [string, string]),
      );
      const { calls, create } = engine(false);
      await quota.create(create, { Image: 'x' }, 1024);
      expect(
        calls.map((c) => c.HostConfig?.StorageOpt),
        driver,
      ).toEqual([undefined]);
    }
  });

  it('still asks overlay2 on xfs and other drivers, which may have one', async () => {
    for (const [driver, status] of [
      ['overlay2', [['Backing Filesystem', 'xfs']]],
      ['btrfs', []],
      ['zfs', undefined],
    ] as const) {
      const quota = new StorageQuota(collectingLogger());
      quota.learnFrom(
        driver,
        status?.map(([k, v]) => [k, v] as [string, string]),
      );
      const { calls, create } = engine(true);
      await quota.create(create, { Image: 'x' }, 1024);
      expect(
        calls.map((c) => c.HostConfig?.StorageOpt),
        driver,
      ).toEqual([{ size: '1024' }]);
    }
  });

  it('throws a refusal that is not about the quota, and still does not know', async () => {
    const quota = new StorageQuota(collectingLogger());
    const noCommand = refused(400, 'No command specified');
    await expect(quota.create(engine(false, noCommand).create, { Image: 'x' }, 1024)).rejects.toBe(noCommand);
    expect(quota.available).toBeUndefined();
    const gone = Object.assign(new Error('connect ENOENT'), { code: 'ENOENT' });
    const { calls, create } = engine(true, gone);
    await expect(quota.create(create, { Image: 'x' }, 1024)).rejects.toBe(gone);
    expect(calls).toHaveLength(1);
  });
});

describe('VOLUME paths as tmpfs mounts', () => {
  it('mounts every absolute path but / once, normalised', () => {
    expect(mountableVolumes(['/data', '/data/', '/var//lib/x/', 'relative', '/', '//'])).toEqual(['/data', '/var/lib/x']);
  });

  it("bounds each mount's size and gives it the directory's owner and mode, or root's 0755", () => {
    expect(
      volumeTmpfs(
        [
          { path: '/data', owner: { uid: 1000, gid: 1001, mode: 0o750 } },
          { path: '/cache,mode=4777', owner: undefined },
        ],
        65 * 1024 ** 2,
      ),
    ).toEqual({
      '/data': 'size=68157440,uid=1000,gid=1001,mode=0750,exec',
      '/cache,mode=4777': 'size=68157440,uid=0,gid=0,mode=0755,exec',
    });
  });
});
