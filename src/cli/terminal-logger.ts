/** Progress for people at a terminal: to stderr, so stdout carries only the report. */
import type { Logger } from '../basics/logger.js';

export function terminalLogger(options: { verbose: boolean; stream?: NodeJS.WriteStream }): Logger {
  const out = options.stream ?? process.stderr;
  const write = (text: string) => out.write(`${text}\n`);
  return {
    info: (message) => write(message),
    warn: (message) => write(`warning: ${message}`),
    debug: (message) => {
      if (options.verbose) write(`  ${message}`);
    },
    async group(title, fn) {
      write(`${title}…`);
      return fn();
    },
  };
}
