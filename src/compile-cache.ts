/**
 * V8 keeps the bundle's compiled code between runs, which saves much of the start-up
 * parse. The cache lives in a folder of the user's own: in a shared temp folder another
 * local user could plant compiled code. Node versions without a compile cache, and users
 * who turn it off (NODE_DISABLE_COMPILE_CACHE), start as before.
 */
import module from 'node:module';
import os from 'node:os';
import path from 'node:path';

/** Where compiled code is kept, or undefined when it is not to be kept. */
export function compileCacheFolder(): string | undefined {
  if (process.env.NODE_DISABLE_COMPILE_CACHE) return undefined;
  const home = os.homedir();
  const base = process.env.XDG_CACHE_HOME || (home ? path.join(home, '.cache') : '');
  return path.isAbsolute(base) ? path.join(base, 'grader', 'v8-compile-cache') : undefined;
}

/** Node's compile cache, for the modules loaded from now on: it keeps what V8 compiles as a module loads. */
export function enableCompileCache(): void {
  const enable = (module as { enableCompileCache?: (directory?: string) => unknown }).enableCompileCache;
  const folder = compileCacheFolder();
  if (enable === undefined || folder === undefined) return;
  try {
    enable(folder);
  } catch {
    // An unwritable cache folder only costs the time it would have saved.
  }
}
