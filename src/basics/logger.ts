/**
 * The logger the core is given. The CLI prints to the terminal; the action maps
 * groups and warnings to workflow commands. The core never writes to stdout itself.
 */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  debug(message: string): void;
  /** Runs `fn` inside a collapsible group where the host supports it. */
  group<T>(title: string, fn: () => Promise<T>): Promise<T>;
}

export const silentLogger: Logger = {
  info: () => {},
  warn: () => {},
  debug: () => {},
  group: (_title, fn) => fn(),
};
