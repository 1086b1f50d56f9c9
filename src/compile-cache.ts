/**
 * V8 keeps the bundle's compiled code between runs, which saves much of the start-up
 * parse. The cache lives in a folder of the user's own: in a shared temp folder another
 * local user could plant compiled code. Node versions without a compile cache, and users
 * who turn it off (NODE_DISABLE_COMPILE_CACHE), start as before.
 */
import module from 'node:module';
import os from 'node:os';
import path from 'node:path';

export function enableCompileCache(): void {
  const enable = (module as { enableCompileCache?: (directory?: string) => unknown }).enableCompileCache;
  if (enable === undefined || process.env.NODE_DISABLE_COMPILE_CACHE) return;
  const home = os.homedir();
  const base = process.env.XDG_CACHE_HOME || (home ? path.join(home, '.cache') : '');
  if (!path.isAbsolute(base)) return;
  try {
    enable(path.join(base, 'grader', 'v8-compile-cache'));
  } catch {
    // An unwritable cache folder only costs the time it would have saved.
  }
}
