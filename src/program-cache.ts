/**
 * Runs a CommonJS bundle with V8's code cache as it stood at the end of an earlier run.
 * Node's compile cache (compile-cache.ts) is made as a module loads, before its functions
 * run, so every run compiles them again; a cache made after a run holds every function
 * that run compiled. It is kept where Node's is, and turned off the same way.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import zlib from 'node:zlib';
import { compileCacheFolder } from './compile-cache.js';

export interface CachedProgram<T> {
  exports: T;
  /** Whether V8 took the program's compiled code from the cache. */
  cached: boolean;
  /**
   * Keeps the code the run compiled, when no cache could be used: call it at the end of the run.
   * So the first run of a program (per V8) makes the cache, with what that run compiled.
   */
  saveCache(): void;
}

export function runCachedProgram<T>(file: string): CachedProgram<T> {
  const text = readFileSync(file);
  const cache = cacheFor(file, text);
  const cachedData = cache?.read();
  // The wrapper of Node's own CommonJS loader, on the program's first line: its positions stay right.
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${text.toString('utf8')}\n})`, {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
  });
  const program = { exports: {} };
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run(program.exports, createRequire(file), program, file, path.dirname(file));
  const cached = cachedData !== undefined && !script.cachedDataRejected;
  return {
    exports: program.exports as T,
    cached,
    saveCache: () => {
      if (!cached) cache?.write(script.createCachedData());
    },
  };
}

/** Node 20.15 and later: tells a changed program from the one a cache was made for, and a damaged cache. */
const crc32 = (zlib as { crc32?: (data: string | Uint8Array) => number }).crc32;

const HEAD_BYTES = 8;

/**
 * One cache file per installed program and V8 (its version, flags and CPU features), as Node
 * keeps its own: a rebuilt program replaces its cache, and two installs never share one.
 * The file holds checksums (4 bytes each, big-endian) of the program text and of the data,
 * then the data.
 */
function cacheFor(program: string, text: Buffer): { read(): Buffer | undefined; write(data: Buffer): void } | undefined {
  const folder = compileCacheFolder();
  if (folder === undefined || crc32 === undefined) return undefined;
  const checksum = crc32;
  const where = checksum(path.resolve(program)).toString(16);
  const file = path.join(folder, `${path.basename(program)}-${where}-${v8.cachedDataVersionTag().toString(16)}`);
  const textSum = checksum(text);
  return {
    read() {
      try {
        const stored = readFileSync(file);
        const data = stored.subarray(HEAD_BYTES);
        const intact = stored.length > HEAD_BYTES && stored.readUInt32BE(0) === textSum && stored.readUInt32BE(4) === checksum(data);
        return intact ? data : undefined;
      } catch {
        return undefined;
      }
    },
    write(data) {
      const head = Buffer.alloc(HEAD_BYTES);
      head.writeUInt32BE(textSum, 0);
      head.writeUInt32BE(checksum(data), 4);
      const partial = `${file}.${process.pid}.tmp`;
      try {
        mkdirSync(folder, { recursive: true, mode: 0o700 });
        writeFileSync(partial, Buffer.concat([head, data]), { mode: 0o600 });
        // Whole or not at all, for a run that starts meanwhile.
        renameSync(partial, file);
      } catch {
        rmSync(partial, { force: true });
        // An unwritable cache folder only costs the time it would have saved.
      }
    },
  };
}
