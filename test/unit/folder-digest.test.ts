import { chmod, mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { folderDigest } from '../../src/workspace/folder-digest.js';
import { tempDir } from '../helpers/git-repos.js';

const made: { remove(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(made.splice(0).map((t) => t.remove()));
});

async function folder(files: Record<string, string>): Promise<string> {
  const temp = await tempDir('grader-digest-');
  made.push(temp);
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(temp.dir, name)), { recursive: true });
    await writeFile(path.join(temp.dir, name), text);
  }
  return temp.dir;
}

describe('folderDigest', () => {
  it('is the same for the same content and changes with any file, name, mode or link', async () => {
    const files = { Dockerfile: 'FROM busybox:1.35\n', 'app/run.sh': 'echo hi\n' };
    const a = await folder(files);
    const b = await folder(files);
    const digest = await folderDigest(a);
    expect(digest).toMatch(/^tree:sha256:[0-9a-f]{64}$/);
    expect(await folderDigest(b)).toBe(digest);

    await writeFile(path.join(b, 'app/run.sh'), 'echo ho\n');
    const edited = await folderDigest(b);
    expect(edited).not.toBe(digest);
    await chmod(path.join(b, 'app/run.sh'), 0o755);
    expect(await folderDigest(b)).not.toBe(edited);

    const c = await folder({ Dockerfile: files.Dockerfile, 'app/run2.sh': files['app/run.sh'] });
    expect(await folderDigest(c)).not.toBe(digest);

    // A link is fingerprinted by its target, never followed out of the folder.
    const d = await folder(files);
    await symlink('/etc/passwd', path.join(d, 'link'));
    const linked = await folderDigest(d);
    expect(linked).not.toBe(digest);
  });

  it('gives none for a folder too big to fingerprint quickly', async () => {
    const dir = await folder({ a: '1', b: '2', c: '3' });
    expect(await folderDigest(dir, { entries: 2, bytes: 1024 })).toBeUndefined();
    expect(await folderDigest(dir, { entries: 10, bytes: 2 })).toBeUndefined();
    expect(await folderDigest(dir, { entries: 10, bytes: 1024 })).toBeDefined();
  });
});
