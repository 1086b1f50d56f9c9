/** Turning what a probe said (or why it could not run) into the CheckResult reporters show. */
import { t } from '../basics/i18n/catalogue.js';
import type { ProbeOutcome } from '../probes/probe.js';
import type { Check } from '../rubric/model.js';
import type { CheckResult } from '../basics/results.js';
import { partialPoints } from './score.js';

export function fromOutcome(check: Check, outcome: ProbeOutcome, durationMs: number, now: Date, due?: Date): CheckResult {
  const passed = outcome.status === 'passed';
  const result: CheckResult = {
    ...identity(check),
    status: outcome.status,
    points: passed ? check.points : earnedShare(check, outcome),
    message: outcome.message,
    duration_ms: Math.round(durationMs),
  };
  if (!passed && check.feedback) result.feedback = check.feedback;
  if (outcome.expected !== undefined) result.expected = outcome.expected;
  if (outcome.actual !== undefined) result.actual = outcome.actual;
  if (outcome.output !== undefined) result.output = outcome.output;
  if (outcome.locations?.length) {
    result.location = outcome.locations[0];
    if (outcome.locations.length > 1) result.locations = outcome.locations;
  }
  return isConcealed(check, now, due) ? conceal(result) : result;
}

/** A failed check made of parts keeps the share of its points its passed parts earn. */
function earnedShare(check: Check, outcome: ProbeOutcome): number {
  if (outcome.status !== 'failed' || !outcome.share) return 0;
  return partialPoints(check.points, outcome.share.passed, outcome.share.of);
}

export function skipped(check: Check, reason: string): CheckResult {
  return { ...identity(check), status: 'skipped', points: 0, message: reason, duration_ms: 0 };
}

export function errored(check: Check, message: string, durationMs: number): CheckResult {
  return { ...identity(check), status: 'error', points: 0, message, duration_ms: Math.round(durationMs) };
}

function identity(check: Check): Pick<CheckResult, 'id' | 'name' | 'kind' | 'max_points'> {
  return { id: check.id, name: check.name, kind: check.spec.kind, max_points: check.points };
}

/** `hidden` always, `after_due` until the due date: the student sees name, status and points only. */
export function isConcealed(check: Check, now: Date, due?: Date): boolean {
  if (check.visibility === 'hidden') return true;
  if (check.visibility === 'after_due') return !due || now < due;
  return false;
}

function conceal(result: CheckResult): CheckResult {
  const { expected: _e, actual: _a, output: _o, location: _l, locations: _ls, ...rest } = result;
  return {
    ...rest,
    hidden: true,
    message:
      result.status === 'passed'
        ? t('core.check.hidden_passed')
        : result.status === 'error'
          ? result.message
          : t('core.check.hidden_failed'),
  };
}
