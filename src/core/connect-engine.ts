/** The first call to the engine of a run: is it there, and what is left of earlier runs that crashed. */
import type { Logger } from '../basics/logger.js';
import { STALE_AFTER_MS, type ContainerEngine } from '../engine/engine.js';

/** Throws EngineUnavailableError when the engine does not answer. */
export async function connectEngine(engine: ContainerEngine, logger: Logger): Promise<void> {
  const info = await engine.ping();
  logger.debug(`engine ${info.version} (API ${info.apiVersion}), BuildKit ${info.buildkit ? 'on' : 'off'}`);
  // Off the critical path: the run's own clean-up waits for it.
  void engine
    .sweepStale(STALE_AFTER_MS)
    .catch(() => 0)
    .then((swept) => {
      if (swept > 0) logger.info(`removed ${swept} leftovers of earlier runs`);
    });
}
