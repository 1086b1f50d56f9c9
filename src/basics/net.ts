/** Reaching a TCP port, and telling loopback addresses from the others. */
import net from 'node:net';

const LOOPBACK = new net.BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/**
 * Whether `host` is this machine's loopback: `localhost`, 127.0.0.0/8 or ::1, in any
 * spelling of the address (IPv4-mapped, uncompressed, in brackets as in a URL).
 */
export function isLoopback(host: string): boolean {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (bare.toLowerCase() === 'localhost') return true;
  const family = net.isIP(bare);
  return family !== 0 && LOOPBACK.check(bare, family === 4 ? 'ipv4' : 'ipv6');
}

/** `closed`: accepted, then hung up on within `confirmOpenMs`. */
export type ConnectResult = 'connected' | 'refused' | 'timeout' | 'closed' | 'aborted' | { error: string };

export interface ConnectOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /**
   * Count the connection only if it stays open this long. A port proxy accepts before the
   * app behind it listens, then hangs up at once.
   */
  confirmOpenMs?: number;
}

/** Opens a TCP connection to `host:port`, says how that went, and closes it. */
export function tryConnect(host: string, port: number, options: ConnectOptions): Promise<ConnectResult> {
  const { signal } = options;
  if (signal?.aborted) return Promise.resolve('aborted');
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    let settled = false;
    let confirming: NodeJS.Timeout | undefined;
    const finish = (result: ConnectResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(connecting);
      clearTimeout(confirming);
      signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(result);
    };
    const connecting = setTimeout(() => finish('timeout'), options.timeoutMs);
    const onAbort = () => finish('aborted');
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('error', (error: NodeJS.ErrnoException) =>
      finish(error.code === 'ECONNREFUSED' ? 'refused' : { error: error.code ?? error.message }),
    );
    socket.once('connect', () => {
      if (!options.confirmOpenMs) return finish('connected');
      clearTimeout(connecting);
      socket.once('end', () => finish('closed'));
      socket.once('close', () => finish('closed'));
      confirming = setTimeout(() => finish('connected'), options.confirmOpenMs);
    });
  });
}
