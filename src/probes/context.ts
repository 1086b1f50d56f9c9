/** Access to what a stage provides; a missing piece is the orchestrator's fault (an infrastructure error), so it throws. */
import { diskLimitKill } from './disk-limit.js';
import type { ProbeContext } from './probe.js';

export function requireImage(ctx: ProbeContext): NonNullable<ProbeContext['image']> {
  if (!ctx.image) throw new Error('no built image in the probe context');
  return ctx.image;
}

export function requireService(ctx: ProbeContext): NonNullable<ProbeContext['service']> {
  if (!ctx.service) throw new Error('no running service in the probe context');
  return ctx.service;
}

/** The container port an http/tcp check talks to. */
export function targetPort(ctx: ProbeContext, port: number | undefined): number | undefined {
  return port ?? requireService(ctx).defaultPort;
}

/** Said when a connection is refused: the course's classic mistake. */
export function nothingListening(port: number): string {
  return `nothing is listening on port ${port} (is the app bound to 0.0.0.0, not 127.0.0.1?)`;
}

/** A note to append when the service container is no longer running. */
export function exitNote(ctx: ProbeContext): string {
  const exit = ctx.service?.handle.exitInfo();
  if (!exit) return ctx.service?.handle.pidsLimitHit?.() ? '; the container hit its process limit (a fork bomb?)' : '';
  if (exit.oomKilled) return '; the container ran out of memory and was killed';
  const diskKill = diskLimitKill(exit.killedFor);
  if (diskKill) return `; the container exceeded its disk limit (${diskKill})`;
  return `; the container has exited (code ${exit.exitCode})`;
}
