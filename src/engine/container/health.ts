/** A container's HEALTHCHECK verdict, read from what the engine reports of it (`State.Health`). */
import type { HealthState } from '../engine.js';

/** The engine's `State.Health`, as much of it as is read. */
export interface EngineHealth {
  Status?: string;
  Log?: { ExitCode?: number; Output?: string }[] | null;
}

const STATUSES: readonly HealthState['status'][] = ['starting', 'healthy', 'unhealthy'];

export function healthOf(health: EngineHealth | undefined): HealthState {
  const status = STATUSES.find((s) => s === health?.Status) ?? 'none';
  const last = health?.Log?.at(-1);
  return {
    status,
    ...(last ? { last: { exitCode: last.ExitCode ?? -1, output: last.Output ?? '' } } : {}),
  };
}
