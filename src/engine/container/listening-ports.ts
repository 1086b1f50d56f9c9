/**
 * Which TCP ports a container listens on, read from the kernel's socket tables
 * (`/proc/<pid>/net/tcp{,6}` of its main process) — not from a tool inside the image.
 * Used to explain "never became ready": the app listens on another port, or only on
 * loopback where nothing outside the container can reach it.
 */
import { readFile } from 'node:fs/promises';
import { isLoopback } from '../../basics/net.js';
import type { Listener } from '../engine.js';

const LISTEN_STATE = '0A';
/** Docker's embedded DNS server listens inside every container on a user-defined network. */
const DOCKER_DNS_V4 = '0B00007F'; // 127.0.0.11, as the kernel prints it

/** Listening sockets in the text of `/proc/net/tcp` and/or `/proc/net/tcp6` tables. */
export function parseListeners(table: string): Listener[] {
  const byPort = new Map<number, boolean>();
  for (const line of table.split('\n')) {
    const fields = line.trim().split(/\s+/);
    const local = fields[1];
    if (!local || fields[3] !== LISTEN_STATE) continue;
    const colon = local.lastIndexOf(':');
    const address = local.slice(0, colon);
    const port = Number.parseInt(local.slice(colon + 1), 16);
    if (!Number.isInteger(port) || port <= 0 || address === DOCKER_DNS_V4) continue;
    const loopback = isLoopback(kernelAddress(address));
    byPort.set(port, (byPort.get(port) ?? true) && loopback);
  }
  return [...byPort].map(([port, loopback]) => ({ port, loopback })).sort((a, b) => a.port - b.port);
}

/**
 * An address as the tables print it, in the usual notation: hex, each 32-bit word in the
 * host's byte order (little-endian on the hosts the grader runs on). `0100007F` is 127.0.0.1.
 */
function kernelAddress(hex: string): string {
  const bytes = (hex.match(/.{8}/g) ?? []).flatMap((word) => (word.match(/../g) ?? []).reverse().map((byte) => Number.parseInt(byte, 16)));
  if (bytes.length === 4) return bytes.join('.');
  const groups: string[] = [];
  for (let i = 0; i + 1 < bytes.length; i += 2) groups.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16));
  return groups.join(':');
}

/** Undefined when the tables cannot be read (no such process, or the engine runs in a VM). */
export async function listenersOfProcess(pid: number): Promise<Listener[] | undefined> {
  if (!pid) return undefined;
  const tables = await Promise.all(['tcp', 'tcp6'].map((name) => readFile(`/proc/${pid}/net/${name}`, 'utf8').catch(() => undefined)));
  if (tables.every((t) => t === undefined)) return undefined;
  return parseListeners(tables.filter((t): t is string => t !== undefined).join('\n'));
}
