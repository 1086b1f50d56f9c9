#!/usr/bin/env node
import { enableCompileCache } from './compile-cache.js';

// Before the rest of the CLI is loaded, so that its compiled code can come from the cache.
enableCompileCache();
const { main } = await import('./cli/main.js');

// Exit as soon as the work is done: idle keep-alive sockets to the engine would
// otherwise hold the process open for a few more seconds.
process.exit(await main(process.argv.slice(2)));
