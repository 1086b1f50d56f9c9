/** Reading a file that someone else controls: regular files only, never more than a cap. */
import { constants } from 'node:fs';
import type { Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { t } from './i18n/catalogue.js';

/** `type` of `other` says what the entry is (`a folder`), in the language of the grading under way. */
export type RegularFileRead = { kind: 'file'; content: Buffer; truncated: boolean } | { kind: 'missing' } | { kind: 'other'; type: string };

/**
 * Reads at most `maxBytes` of a regular file. Anything else (a link, a FIFO, a device such
 * as `/dev/stdin` or `/dev/zero`, a folder) is reported, never opened for reading: the
 * open neither follows a link nor blocks on a FIFO, and the type is checked on the open file.
 */
export async function readRegularFile(absolute: string, maxBytes: number): Promise<RegularFileRead> {
  let handle: FileHandle;
  try {
    handle = await open(absolute, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    if (isNotFound(error)) return { kind: 'missing' };
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') return { kind: 'other', type: t('basics.file_type.symlink') };
    throw error;
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) return { kind: 'other', type: describeType(stats) };
    const buffer = Buffer.alloc(Math.min(maxBytes, stats.size) + 1);
    let filled = 0;
    while (filled < buffer.length) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return { kind: 'file', content: buffer.subarray(0, Math.min(filled, maxBytes)), truncated: filled > maxBytes };
  } finally {
    await handle.close();
  }
}

function describeType(stats: Stats): string {
  if (stats.isDirectory()) return t('basics.file_type.folder');
  if (stats.isFIFO()) return t('basics.file_type.fifo');
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return t('basics.file_type.device');
  if (stats.isSocket()) return t('basics.file_type.socket');
  return t('basics.file_type.other');
}

function isNotFound(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
