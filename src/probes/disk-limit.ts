/** How reports say what a container that the grader killed at its disk limit did. */
import { MAX_LAYER_ENTRIES } from '../engine/container/container-watch.js';
import type { KillReason } from '../engine/engine.js';

/** "it … and was killed", or undefined when the kill was not for the disk limit. */
export function diskLimitKill(reason: KillReason | undefined): string | undefined {
  if (reason === 'disk') return 'it wrote too much inside the container and was killed';
  if (reason === 'files') {
    const most = MAX_LAYER_ENTRIES.toLocaleString('en-US');
    return `it made more than ${most} files and directories inside the container, or nested them too deep to measure, and was killed`;
  }
  return undefined;
}
