/** Access to what a stage provides; a missing piece is the orchestrator's fault (an infrastructure error), so it throws. */
import { t } from '../basics/i18n/catalogue.js';
import { diskLimitKill } from './disk-limit.js';
import { followingClause } from './display.js';
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
  return t('probe.service.nothing_listening', { port });
}

/** A note to append when the service container is no longer running. */
export function exitNote(ctx: ProbeContext): string {
  const exit = ctx.service?.handle.exitInfo();
  if (!exit) return ctx.service?.handle.pidsLimitHit?.() ? followingClause(t('probe.service.exit.pids_limit')) : '';
  if (exit.oomKilled) return followingClause(t('probe.service.exit.oom'));
  const diskKill = diskLimitKill(exit.killedFor);
  if (diskKill) return followingClause(t('probe.service.exit.disk', { kill: diskKill }));
  return followingClause(t('probe.service.exit.exited', { code: exit.exitCode }));
}
