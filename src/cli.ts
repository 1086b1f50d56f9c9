#!/usr/bin/env node
import { fileURLToPath } from 'node:url';
import { enableCompileCache } from './compile-cache.js';
import { runCachedProgram, type CachedProgram } from './program-cache.js';
import type { main } from './cli/main.js';

type Cli = { main: typeof main };

/** The bundled CLI, one CommonJS file beside this one (scripts/bundle.mjs defines it); undefined from source. */
declare const GRADER_CLI_PROGRAM: string | undefined;

let cli: Cli;
let bundled: CachedProgram<Cli> | undefined;
if (typeof GRADER_CLI_PROGRAM === 'string') {
  bundled = runCachedProgram<Cli>(fileURLToPath(new URL(GRADER_CLI_PROGRAM, import.meta.url)));
  cli = bundled.exports;
} else {
  // Before the rest of the CLI is loaded, so that its compiled code can come from the cache.
  enableCompileCache();
  cli = await import('./cli/main.js');
}
const code = await cli.main(process.argv.slice(2));
bundled?.saveCache();

// Exit as soon as the work is done: idle keep-alive sockets to the engine would
// otherwise hold the process open for a few more seconds.
process.exit(code);
