#!/usr/bin/env node
import { main } from './cli/main.js';

// Exit as soon as the work is done: idle keep-alive sockets to the engine would
// otherwise hold the process open for a few more seconds.
process.exit(await main(process.argv.slice(2)));
