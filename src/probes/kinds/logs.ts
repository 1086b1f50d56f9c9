/** `logs`: what the running service printed so far, against a matcher. */
import type { Check, LogsSpec } from '../../rubric/model.js';
import { requireService } from '../context.js';
import { tailForDisplay } from '../display.js';
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
    const cut = logs.truncated ? ` (only the first ${logs.text.length} characters of ${logs.bytes} bytes were kept)` : '';
    return {
      status: result.ok ? 'passed' : 'failed',
      message: result.ok ? `the logs ${result.expected}` : `the logs ${result.failures.join('; ')}${cut}`,
      expected: result.expected,
      output: logs.text === '' ? '(the container printed nothing)' : tailForDisplay(logs.text),
    };
  },
};
