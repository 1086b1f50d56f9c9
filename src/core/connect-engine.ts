/** A run's dealings with the engine as a whole: is it there, and what is left of earlier runs that crashed. */
import type { Logger } from '../basics/logger.js';
import { STALE_AFTER_MS, type ContainerEngine } from '../engine/engine.js';

/** The first call to the engine of a run. Throws EngineUnavailableError when the engine does not answer. */
export async function connectEngine(engine: ContainerEngine, logger: Logger): Promise<void> {
  const info = await engine.ping();
  logger.debug(`engine ${info.version} (API ${info.apiVersion}), BuildKit ${info.buildkit ? 'on' : 'off'}`);
}

/**
 * Starts connectEngine for a grading that comes later, so that other work (loading the
 * rubric, opening the submission) goes on meanwhile: a ping changes nothing on the engine,
 * and an engine that is down is the grading's to report, when it needs the engine.
 */
export function startConnecting(engine: ContainerEngine, logger: Logger): Promise<void> {
  const connecting = connectEngine(engine, logger);
  connecting.catch(() => {});
  return connecting;
}

/**
 * Removes what runs that crashed left behind. Run beside a run's own clean-up, where it
 * slows no grading (at the start it would compete with the build). Never rejects.
 */
export async function sweepLeftovers(engine: ContainerEngine, logger: Logger): Promise<void> {
  const swept = await engine.sweepStale(STALE_AFTER_MS).catch(() => 0);
  if (swept > 0) logger.info(`removed ${swept} leftovers of earlier runs`);
}
