/**
 * Shards: `--shard I/K` grades the I-th of K slices of the roster, so that K jobs (an
 * Actions matrix) grade a class in parallel. The slice is decided by the username alone,
 * never by row order, so every job agrees without talking to the others.
 */
import { createHash } from 'node:crypto';
import { UserError } from '../basics/errors.js';
import { usernameKey } from './roster.js';

/** 1-based: `2/4` is `{ index: 2, count: 4 }`. */
export interface Shard {
  index: number;
  count: number;
}

export function parseShard(text: string): Shard {
  const match = /^\s*(\d{1,6})\s*\/\s*(\d{1,6})\s*$/.exec(text);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) {
    throw new UserError(`--shard ${JSON.stringify(text)}: expected I/K, two whole numbers with I from 1 to K (e.g. --shard 2/4)`);
  }
  return { index, count };
}

/** Whether the student falls in the shard: the SHA-256 of the username (as rosters compare it), modulo K. */
export function inShard(username: string, shard: Shard): boolean {
  const digest = createHash('sha256').update(usernameKey(username)).digest();
  return digest.readUInt32BE(0) % shard.count === shard.index - 1;
}
