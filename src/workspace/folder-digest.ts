/**
 * A fingerprint of a plain folder (no git, so no commit to name what was graded): every entry's
 * path, type and content (a link's target, never followed). Bounded: a folder too big to
 * fingerprint quickly gets none, and is simply graded again each time.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir, readlink } from 'node:fs/promises';
import path from 'node:path';

export const FOLDER_DIGEST_LIMITS = { entries: 20_000, bytes: 256 * 1024 * 1024 };

export async function folderDigest(dir: string, limits = FOLDER_DIGEST_LIMITS): Promise<string | undefined> {
  const hash = createHash('sha256');
  let entries = 0;
  let bytes = 0;
  const walk = async (relative: string): Promise<boolean> => {
    const names = (await readdir(path.join(dir, relative))).sort();
    for (const name of names) {
      if (++entries > limits.entries) return false;
      const entry = path.posix.join(relative, name);
      const full = path.join(dir, entry);
      const info = await lstat(full);
      if (info.isDirectory()) {
        hash.update(`d ${entry}\0`);
        if (!(await walk(entry))) return false;
      } else if (info.isSymbolicLink()) {
        hash.update(`l ${entry}\0${await readlink(full)}\0`);
      } else if (info.isFile()) {
        bytes += info.size;
        if (bytes > limits.bytes) return false;
        hash.update(`f ${entry} ${info.mode & 0o111 ? 'x' : '-'} ${info.size}\0`);
        for await (const chunk of createReadStream(full)) hash.update(chunk as Buffer);
      } else {
        hash.update(`o ${entry}\0`);
      }
    }
    return true;
  };
  try {
    return (await walk('')) ? `tree:sha256:${hash.digest('hex')}` : undefined;
  } catch {
    return undefined;
  }
}
