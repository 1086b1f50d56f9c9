import { createRequire as __graderCreateRequire } from 'node:module';
import { fileURLToPath as __graderFileURLToPath } from 'node:url';
import { dirname as __graderDirname } from 'node:path';
const require = __graderCreateRequire(import.meta.url);
const __filename = __graderFileURLToPath(import.meta.url);
const __dirname = __graderDirname(__filename);
import {
  enableCompileCache
} from "./chunks/chunk-VKGCCB3C.js";
import "./chunks/chunk-LGV4N2VW.js";

// src/index.ts
enableCompileCache();
var { isPostStep } = await import("./chunks/state-JTH5YKYJ.js");
await (isPostStep() ? (await import("./chunks/post-YIB3EVFW.js")).post() : (await import("./chunks/run-THMSP6ZR.js")).run());
process.exit();
