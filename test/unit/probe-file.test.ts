import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileProbe } from '../../src/probes/kinds/file.js';
import type { FileSpec } from '../../src/rubric/model.js';
import { check, FakeEngine, fakeContext, imageInfo } from '../helpers/fake-engine.js';

let repo: string;
let outside: string;

beforeAll(async () => {
  repo = await mkdtemp(path.join(os.tmpdir(), 'grader-file-repo-'));
  outside = await mkdtemp(path.join(os.tmpdir(), 'grader-file-outside-'));
  await writeFile(path.join(outside, 'secret.txt'), 'TOKEN=abc');
  await mkdir(path.join(repo, 'src'));
  await writeFile(path.join(repo, 'src', 'app.js'), 'app.listen(3000, "0.0.0.0")\n');
  await writeFile(path.join(repo, 'big.txt'), Buffer.alloc(2 * 1024 * 1024, 'a'));
  await symlink(path.join(outside, 'secret.txt'), path.join(repo, 'leak.txt'));
  await symlink('../' + path.basename(outside), path.join(repo, 'leakdir'));
  await symlink('src/app.js', path.join(repo, 'inside-link.js'));
  await symlink(path.join(repo, 'src'), path.join(repo, 'abs-inside'));
});

afterAll(async () => {
  await rm(repo, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

function repoCheck(partial: Partial<FileSpec>) {
  return fileProbe.run(
    check<FileSpec>({ kind: 'file', path: 'x', in: 'repo', ...partial }),
    fakeContext(new FakeEngine(), { repoDir: repo }),
  );
}

describe('file probe in the repo', () => {
  it('passes when the file exists, with its location', async () => {
    expect(await repoCheck({ path: 'src/app.js' })).toMatchObject({
      status: 'passed',
      message: 'src/app.js exists',
      locations: [{ path: 'src/app.js', line: 1 }],
    });
  });

  it('fails when the file is missing or a directory', async () => {
    expect(await repoCheck({ path: 'Dockerfile' })).toMatchObject({
      status: 'failed',
      message: 'Dockerfile does not exist in the repository',
    });
    expect((await repoCheck({ path: 'src' })).message).toBe('src is a directory, expected a file');
  });

  it('matches the content', async () => {
    expect((await repoCheck({ path: 'src/app.js', content: { contains: '0.0.0.0' } })).status).toBe('passed');
    const outcome = await repoCheck({ path: 'src/app.js', content: { not_contains: '0.0.0.0' } });
    expect(outcome.status).toBe('failed');
    expect(outcome.message).toContain('must not');
    expect(outcome.output).toContain('app.listen');
  });

  it('never follows a symlink out of the repo', async () => {
    for (const p of ['leak.txt', 'leakdir/secret.txt', '../' + path.basename(outside) + '/secret.txt']) {
      const outcome = await repoCheck({ path: p, content: { contains: 'TOKEN' } });
      expect(outcome.status, p).toBe('failed');
      expect(outcome.message, p).toContain('outside the repository');
      expect(outcome.output).toBeUndefined();
    }
  });

  it('follows symlinks that stay inside', async () => {
    expect((await repoCheck({ path: 'inside-link.js', content: { contains: 'listen' } })).status).toBe('passed');
    expect((await repoCheck({ path: 'abs-inside/app.js' })).status).toBe('passed');
  });

  it('refuses absolute paths', async () => {
    expect((await repoCheck({ path: '/etc/passwd' })).status).toBe('failed');
  });

  it('reads at most 1 MiB and says so when a match fails', async () => {
    const outcome = await repoCheck({ path: 'big.txt', content: { contains: 'b' } });
    expect(outcome.status).toBe('failed');
    expect(outcome.message).toContain('only its first 1048576 bytes');
    expect(Buffer.byteLength(outcome.output!)).toBeLessThan(4200);
  });
});

describe('file probe in the image', () => {
  it('reads through the engine, relative paths from WORKDIR', async () => {
    const engine = new FakeEngine();
    engine.images.set('grader-test:latest', imageInfo({ workdir: '/app' }));
    engine.files.set('grader-test:latest:/app/package.json', { kind: 'file', content: Buffer.from('{"name":"x"}'), truncated: false });
    const ctx = fakeContext(engine, { withImage: true });
    const outcome = await fileProbe.run(
      check<FileSpec>({ kind: 'file', path: 'package.json', in: 'image', content: { contains: '"name"' } }),
      ctx,
    );
    expect(outcome.status).toBe('passed');
    expect(engine.readCalls).toEqual([{ image: 'grader-test:latest', path: '/app/package.json', maxBytes: 1024 * 1024 }]);
    expect(fileProbe.stage({ kind: 'file', path: 'x', in: 'image' })).toBe('image');
    expect(fileProbe.stage({ kind: 'file', path: 'x', in: 'repo' })).toBe('repo');
  });

  it('fails on missing files and non-files', async () => {
    const engine = new FakeEngine();
    engine.files.set('grader-test:latest:/etc', { kind: 'other', type: 'directory' });
    const ctx = fakeContext(engine, { withImage: true });
    expect((await fileProbe.run(check<FileSpec>({ kind: 'file', path: '/nope', in: 'image' }), ctx)).message).toBe(
      '/nope in the image does not exist',
    );
    expect((await fileProbe.run(check<FileSpec>({ kind: 'file', path: '/etc', in: 'image' }), ctx)).message).toContain('is a directory');
  });

  it('throws (an infrastructure error) when run without an image', async () => {
    await expect(
      fileProbe.run(check<FileSpec>({ kind: 'file', path: '/x', in: 'image' }), fakeContext(new FakeEngine())),
    ).rejects.toThrow();
  });
});
