import { createRequire as __graderCreateRequire } from 'node:module';
import { fileURLToPath as __graderFileURLToPath } from 'node:url';
import { dirname as __graderDirname } from 'node:path';
const require = __graderCreateRequire(import.meta.url);
const __filename = __graderFileURLToPath(import.meta.url);
const __dirname = __graderDirname(__filename);

// src/compile-cache.ts
import module from "node:module";
import os from "node:os";
import path from "node:path";
function enableCompileCache() {
  const enable = module.enableCompileCache;
  if (enable === void 0 || process.env.NODE_DISABLE_COMPILE_CACHE) return;
  const home = os.homedir();
  const base = process.env.XDG_CACHE_HOME || (home ? path.join(home, ".cache") : "");
  if (!path.isAbsolute(base)) return;
  try {
    enable(path.join(base, "grader", "v8-compile-cache"));
  } catch {
  }
}

export {
  enableCompileCache
};
