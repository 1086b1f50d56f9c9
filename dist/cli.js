#!/usr/bin/env node
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

// src/cli.ts
enableCompileCache();
var { main } = await import("./chunks/main-STOISAXV.js");
process.exit(await main(process.argv.slice(2)));
