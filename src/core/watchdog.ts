/**
 * The watchdog: past the sum of every stage's own limits, something below us (the
 * engine) is presumed hung, and the run is ungradable rather than waiting forever.
 */
import { within } from '../basics/deadline.js';
import { InfrastructureError } from '../basics/errors.js';
import { t } from '../basics/i18n/catalogue.js';
import { formatDuration } from '../basics/units.js';
import type { Rubric } from '../rubric/model.js';
import { checkDeadlineMs } from './run-check.js';

/** Slack on top of the stage limits for the engine's own work (create, start, remove). */
const WATCHDOG_SLACK_MS = 60_000;

/** The sum of every stage's limit: build, readiness, and each check's deadline. */
export function watchdogBudgetMs(rubric: Rubric): number {
  const checks = rubric.checks.reduce((sum, check) => sum + checkDeadlineMs(check), 0);
  return rubric.build.timeoutMs + rubric.service.ready.timeoutMs + checks + WATCHDOG_SLACK_MS;
}

/** What `work` gives, unless `budgetMs` pass first: then `onExpiry` runs (to stop the work) and an InfrastructureError is thrown. */
export function underWatchdog<T>(work: Promise<T>, budgetMs: number, onExpiry: () => void): Promise<T> {
  return within(work, budgetMs, () => {
    onExpiry();
    throw new InfrastructureError(t('core.watchdog.hung', { budget: formatDuration(budgetMs) }));
  });
}
