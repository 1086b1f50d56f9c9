import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tarStream from 'tar-stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  DEFAULT_CONTEXT_LIMITS,
  ContextRefusedError,
  MAX_DOCKERIGNORE_BYTES,
  contextDockerfile,
  exceedsLimits,
  oversizedContext,
  packContext,
  scanContext,
} from '../../src/engine/build/build-context.js';
import { describeBuildFailure } from '../../src/probes/kinds/build.js';

interface Entry {
  type: string;
  mode: number;
  uid: number;
  linkname?: string;
  content: string;
}

const dirs: string[] = [];

afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function tree(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'grader-ctx-'));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), content);
  }
  return dir;
}

const GENERATED_DOCKERFILE = /^\.grader-dockerfile\.[0-9a-f]{20}$/;

/**
 * Packs the context and reads the archive back: what the daemon would receive, less the
 * Dockerfile the grader adds under a generated name (`sent` holds that one).
 */
async function archive(dir: string, dockerfile = 'Dockerfile', sent?: Map<string, Entry>): Promise<Map<string, Entry>> {
  const scan = await scanContext(dir, dockerfile, DEFAULT_CONTEXT_LIMITS);
  const entries = new Map<string, Entry>();
  const extract = tarStream.extract();
  extract.on('entry', (header, stream, next) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk) => {
      chunks.push(chunk as Buffer);
    });
    stream.on('end', () => {
      const name = header.name.replace(/\/$/, '');
      (GENERATED_DOCKERFILE.test(name) ? (sent ?? new Map<string, Entry>()) : entries).set(name, {
        type: header.type ?? 'file',
        mode: (header.mode ?? 0) & 0o7777,
        uid: header.uid ?? -1,
        linkname: header.linkname ?? undefined,
        content: Buffer.concat(chunks).toString('utf8'),
      });
      next();
    });
  });
  const done = new Promise((resolve, reject) => {
    extract.on('finish', () => resolve(undefined));
    extract.on('error', reject);
  });
  packContext(scan, contextDockerfile('FROM scratch\n# as checked\n')).pipe(extract);
  await done;
  return entries;
}

describe('packContext', () => {
  it('applies .dockerignore like the Docker CLI: exceptions, **, leading /', async () => {
    const dir = await tree({
      Dockerfile: 'FROM scratch\n',
      '.dockerignore': '# comment\nnode_modules\n/secret.txt\n**/*.log\nsrc/*\n!src/keep.txt\n.env\n',
      'node_modules/a/index.js': 'x',
      'secret.txt': 'top-level secret',
      'sub/secret.txt': 'not matched by /secret.txt',
      'app.log': 'x',
      'deep/er/trace.log': 'x',
      'src/keep.txt': 'kept',
      'src/drop.txt': 'dropped',
      '.env': 'TOKEN=1',
      'sub/.env': 'only the top-level .env is ignored',
    });
    const names = [...(await archive(dir)).keys()].sort();
    expect(names).toEqual(
      ['.dockerignore', 'Dockerfile', 'deep', 'deep/er', 'src', 'src/keep.txt', 'sub', 'sub/.env', 'sub/secret.txt'].sort(),
    );
  });

  it('sends the same bytes for the same submission, so that the builder can take the copy of the context from its cache', async () => {
    const dir = await tree({ Dockerfile: 'FROM scratch\n', 'app.sh': 'echo hi\n', 'sub/data.txt': 'x' });
    const bytes = async () => {
      const scan = await scanContext(dir, 'Dockerfile', DEFAULT_CONTEXT_LIMITS);
      const chunks: Buffer[] = [];
      for await (const chunk of packContext(scan, contextDockerfile('FROM scratch\n# as checked\n'))) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    };
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(new Date('2026-11-01T10:00:00Z'));
      const first = await bytes();
      vi.setSystemTime(new Date('2026-11-02T11:00:00Z'));
      expect((await bytes()).equals(first)).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('always sends the Dockerfile and .dockerignore, even when they are ignored', async () => {
    const dir = await tree({
      'build/app.Dockerfile': 'FROM scratch\n',
      'build/other.txt': 'x',
      '.dockerignore': '.dockerignore\nbuild\n*.Dockerfile\n',
      'main.c': 'int main(){}',
    });
    const entries = await archive(dir, 'build/app.Dockerfile');
    expect([...entries.keys()].sort()).toEqual(['.dockerignore', 'build', 'build/app.Dockerfile', 'main.c']);
    expect(entries.get('build/app.Dockerfile')?.content).toBe('FROM scratch\n');
  });

  it('keeps symlinks as links, never following them', async () => {
    const dir = await tree({ Dockerfile: 'FROM scratch\n', 'target.txt': 'target' });
    await symlink('target.txt', path.join(dir, 'inside'));
    await symlink('/etc/passwd', path.join(dir, 'outside'));
    const entries = await archive(dir);
    expect(entries.get('inside')).toMatchObject({ type: 'symlink', linkname: 'target.txt', content: '' });
    expect(entries.get('outside')).toMatchObject({ type: 'symlink', linkname: '/etc/passwd', content: '' });
  });

  it('keeps file modes as they are and sends everything as root', async () => {
    const dir = await tree({ Dockerfile: 'FROM scratch\n', 'run.sh': 'echo', 'private.txt': 'x', 'open.txt': 'x' });
    await chmod(path.join(dir, 'run.sh'), 0o755);
    await chmod(path.join(dir, 'private.txt'), 0o600);
    await chmod(path.join(dir, 'open.txt'), 0o666); // a umask of 022 would make this 644
    const entries = await archive(dir);
    expect(entries.get('run.sh')).toMatchObject({ mode: 0o755, uid: 0 });
    expect(entries.get('private.txt')?.mode).toBe(0o600);
    expect(entries.get('open.txt')?.mode).toBe(0o666);
  });

  it('includes .git unless it is ignored, as the CLI does', async () => {
    const files = { Dockerfile: 'FROM scratch\n', '.git/HEAD': 'ref: refs/heads/main\n' };
    expect((await archive(await tree(files))).has('.git/HEAD')).toBe(true);
    expect((await archive(await tree({ ...files, '.dockerignore': '.git\n' }))).has('.git/HEAD')).toBe(false);
  });

  it('sends the checked Dockerfile text under a generated name, not the file on disk', async () => {
    const repo = await tree({ 'docker/Dockerfile': 'FROM scratch\nCOPY . /\n', 'app/main.c': 'int main(){}' });
    const sent = new Map<string, Entry>();
    const entries = await archive(path.join(repo, 'app'), '../docker/Dockerfile', sent);
    expect([...entries.keys()]).toEqual(['main.c']);
    expect([...sent.values()].map((e) => e.content)).toEqual(['FROM scratch\n# as checked\n']);
  });

  it.each([
    ['/dev/stdin', 'a device'],
    ['/dev/zero', 'a device'],
    ['/dev/urandom', 'a device'],
  ])('refuses a .dockerignore that is a link to %s without reading it', async (target) => {
    const dir = await tree({ Dockerfile: 'FROM scratch\n' });
    await symlink(target, path.join(dir, '.dockerignore'));
    await expect(scanContext(dir, 'Dockerfile', DEFAULT_CONTEXT_LIMITS)).rejects.toThrow(ContextRefusedError);
    await expect(scanContext(dir, 'Dockerfile', DEFAULT_CONTEXT_LIMITS)).rejects.toThrow(/not a regular file \(it is a symbolic link\)/);
  });

  it('refuses a .dockerignore that is a named pipe without blocking on it', async () => {
    const dir = await tree({ Dockerfile: 'FROM scratch\n' });
    execFileSync('mkfifo', [path.join(dir, '.dockerignore')]);
    await expect(scanContext(dir, 'Dockerfile', DEFAULT_CONTEXT_LIMITS)).rejects.toThrow(/not a regular file \(it is a named pipe\)/);
  });

  it('refuses a .dockerignore over its size limit', async () => {
    const dir = await tree({ Dockerfile: 'FROM scratch\n', '.dockerignore': 'x\n'.repeat(MAX_DOCKERIGNORE_BYTES) });
    await expect(scanContext(dir, 'Dockerfile', DEFAULT_CONTEXT_LIMITS)).rejects.toThrow(/larger than 64 KiB/);
  });

  it('reads the exceptions of .dockerignore from the same text as its patterns', async () => {
    const dir = await tree({
      Dockerfile: 'FROM scratch\n',
      '.dockerignore': 'logs\n!logs/keep.txt\n',
      'logs/keep.txt': 'k',
      'logs/drop.txt': 'd',
    });
    const entries = await archive(dir);
    expect(entries.has('logs/keep.txt')).toBe(true);
    expect(entries.has('logs/drop.txt')).toBe(false);
  });
});

describe('scanContext limits', () => {
  it('counts files and bytes of what is sent, not of what is ignored', async () => {
    const dir = await tree({ Dockerfile: 'FROM scratch\n', '.dockerignore': 'data\n', 'a.txt': '12345' });
    await mkdir(path.join(dir, 'data'));
    await writeFile(path.join(dir, 'data/huge.bin'), '');
    await truncate(path.join(dir, 'data/huge.bin'), 200 * 1024 * 1024);
    const scan = await scanContext(dir, 'Dockerfile', DEFAULT_CONTEXT_LIMITS);
    expect(scan.files).toBe(3);
    expect(scan.bytes).toBe(13 + 5 + 5);
    expect(exceedsLimits(scan, DEFAULT_CONTEXT_LIMITS)).toBe(false);
  });

  it('refuses too many files and says where they are', async () => {
    const files: Record<string, string> = { Dockerfile: 'FROM scratch\n' };
    for (let i = 0; i < 30; i++) files[`node_modules/pkg${i}/index.js`] = 'x';
    const dir = await tree(files);
    const limits = { maxFiles: 20, maxBytes: 1024 * 1024 };
    const scan = await scanContext(dir, 'Dockerfile', limits);
    expect(exceedsLimits(scan, limits)).toBe(true);
    const context = oversizedContext(scan, limits);
    expect(context).toMatchObject({ files: 31, complete: true, maxFiles: 20, maxBytes: 1024 * 1024 });
    expect(context.largest[0]).toMatchObject({ name: 'node_modules', files: 30 });
    // The build check words it.
    const message = describeBuildFailure({ ok: false, reason: 'context-too-large', context, logTail: '', durationMs: 0 }, undefined);
    expect(message).toContain('31 files');
    expect(message).toContain('the limit is 20 files and 1 MiB');
    expect(message).toContain('node_modules (30 files');
    expect(message).toContain('.dockerignore');
  });

  it('stops counting far past the limits and says "at least"', async () => {
    const files: Record<string, string> = { Dockerfile: 'FROM scratch\n' };
    for (let i = 0; i < 50; i++) files[`f${i}`] = 'x';
    const dir = await tree(files);
    const limits = { maxFiles: 2, maxBytes: 1024 * 1024 };
    const scan = await scanContext(dir, 'Dockerfile', limits);
    expect(scan.complete).toBe(false);
    expect(scan.files).toBeLessThan(50);
    const context = oversizedContext(scan, limits);
    expect(context.complete).toBe(false);
    expect(describeBuildFailure({ ok: false, reason: 'context-too-large', context, logTail: '', durationMs: 0 }, undefined)).toMatch(
      /at least \d+ files/,
    );
  });
});
