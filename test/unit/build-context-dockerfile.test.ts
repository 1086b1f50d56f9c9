/**
 * The Dockerfile the grader sends with the context: named after its text (so that BuildKit
 * answers a rebuild of the same text from its cache), and always the checked text, even
 * when the context holds a file of the very same name.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tarStream from 'tar-stream';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONTEXT_LIMITS, contextDockerfile, packContext, scanContext } from '../../src/engine/build/build-context.js';

const dirs: string[] = [];

afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** Every entry of the packed context, by name, with its contents (a name sent twice is listed twice). */
async function packed(dir: string, text: string): Promise<[string, string][]> {
  const scan = await scanContext(dir, 'Dockerfile', DEFAULT_CONTEXT_LIMITS);
  const entries: [string, string][] = [];
  const extract = tarStream.extract();
  extract.on('entry', (header, stream, next) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk) => {
      chunks.push(chunk as Buffer);
    });
    stream.on('end', () => {
      entries.push([header.name, Buffer.concat(chunks).toString('utf8')]);
      next();
    });
  });
  const done = new Promise((resolve, reject) => {
    extract.on('finish', () => resolve(undefined));
    extract.on('error', reject);
  });
  packContext(scan, contextDockerfile(text)).pipe(extract);
  await done;
  return entries;
}

describe('contextDockerfile', () => {
  it('names the same text the same way, and another text another way', () => {
    const first = contextDockerfile('FROM busybox:1.35\n');
    expect(first.name).toMatch(/^\.grader-dockerfile\.[0-9a-f]{20}$/);
    expect(contextDockerfile('FROM busybox:1.35\n').name).toBe(first.name);
    expect(contextDockerfile('FROM busybox:1.36\n').name).not.toBe(first.name);
    expect(first.content.toString('utf8')).toBe('FROM busybox:1.35\n');
  });

  it('is the only file of its name in the context: a student file named like it is left out', async () => {
    const checked = 'FROM busybox:1.35\nCMD ["true"]\n';
    const { name } = contextDockerfile(checked);
    const dir = await mkdtemp(path.join(tmpdir(), 'grader-ctx-name-'));
    dirs.push(dir);
    await writeFile(path.join(dir, 'Dockerfile'), 'FROM busybox:1.35\n');
    await writeFile(path.join(dir, name), 'FROM evil\nRUN steal\n');
    await writeFile(path.join(dir, 'app.sh'), 'echo hi\n');

    const entries = await packed(dir, checked);
    expect(entries.filter(([entry]) => entry === name)).toEqual([[name, checked]]);
    expect(entries.map(([entry]) => entry).sort()).toEqual([name, 'Dockerfile', 'app.sh'].sort());
  });
});
