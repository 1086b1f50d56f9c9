/** `logs`: what the running service printed so far, against a matcher. */
import { t } from '../../basics/i18n/catalogue.js';
import type { Check, LogsSpec } from '../../rubric/model.js';
import { requireService } from '../context.js';
import { joinClauses, tailForDisplay } from '../display.js';
import { matchText } from '../matcher.js';
import type { Probe, ProbeContext, ProbeOutcome } from '../probe.js';

export const logsProbe: Probe<LogsSpec> = {
  kind: 'logs',
  stage: () => 'service',
  // The log is read once the requests it should show have been made.
  schedule: 'after-requests',
  defaultTimeoutMs: 5_000,
  async run(check: Check<LogsSpec>, ctx: ProbeContext): Promise<ProbeOutcome> {
    const logs = requireService(ctx).handle.logs();
    const result = matchText(check.spec.matcher, logs.text);
    const failures = joinClauses(result.failures);
    return {
      status: result.ok ? 'passed' : 'failed',
      message: result.ok
        ? t('probe.logs.matches', { expected: result.expected })
        : logs.truncated
          ? t('probe.logs.mismatch_cut', { failures, count: logs.text.length, bytes: logs.bytes })
          : t('probe.logs.mismatch', { failures }),
      expected: result.expected,
      output: logs.text === '' ? t('probe.logs.empty') : tailForDisplay(logs.text),
    };
  },
};
