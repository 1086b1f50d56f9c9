/** How reports say what a container that the grader killed at its disk limit did. */
import { t } from '../basics/i18n/catalogue.js';
import { MAX_LAYER_ENTRIES } from '../engine/container/container-watch.js';
import type { KillReason } from '../engine/engine.js';

/** "it … and was killed", or undefined when the kill was not for the disk limit. */
export function diskLimitKill(reason: KillReason | undefined): string | undefined {
  if (reason === 'disk') return t('probe.disk.wrote_too_much');
  if (reason === 'files') return t('probe.disk.too_many_files', { most: MAX_LAYER_ENTRIES.toLocaleString('en-US') });
  return undefined;
}
