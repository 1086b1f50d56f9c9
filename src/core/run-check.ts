/** Running one check: its probe, under the check's time limit, turned into a CheckResult whatever happens. */
import { within } from '../basics/deadline.js';
import { t } from '../basics/i18n/catalogue.js';
import { EngineUnavailableError, errorMessage } from '../basics/errors.js';
import type { Logger } from '../basics/logger.js';
import type { CheckResult } from '../basics/results.js';
import type { StageContext } from '../probes/probe.js';
import { probeFor, timeLimitMs } from '../probes/registry.js';
import type { Check } from '../rubric/model.js';
import { errored, fromOutcome } from './check-results.js';

/** Extra time a probe gets past its own limit before it is presumed hung. */
const PROBE_GRACE_MS = 15_000;

/** How long a check may take before its probe is presumed hung: its time limit plus a grace. */
export function checkDeadlineMs(check: Check): number {
  return timeLimitMs(check) + PROBE_GRACE_MS;
}

export interface CheckSettings {
  logger: Logger;
  /** The time concealment is judged at, and the rubric's due date. */
  now: Date;
  due?: Date;
}

/** Never throws, except EngineUnavailableError: an engine gone makes the whole run ungradable. */
export async function runCheck(check: Check, stage: StageContext, settings: CheckSettings): Promise<CheckResult> {
  const started = Date.now();
  const deadlineMs = checkDeadlineMs(check);
  try {
    const outcome = await within(probeFor(check).run(check, { ...stage, timeoutMs: timeLimitMs(check) }), deadlineMs, () => {
      throw new Error(t('core.check.no_answer', { seconds: Math.round(deadlineMs / 1000) }));
    });
    return fromOutcome(check, outcome, Date.now() - started, settings.now, settings.due);
  } catch (err) {
    if (err instanceof EngineUnavailableError) throw err;
    settings.logger.warn(`check "${check.name}" could not run: ${errorMessage(err)}`);
    return errored(check, t('core.check.could_not_run', { error: errorMessage(err) }), Date.now() - started);
  }
}
