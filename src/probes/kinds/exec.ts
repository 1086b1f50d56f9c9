/** `exec`: a command inside the running service container. */
import type { Check, ExecSpec } from '../../rubric/model.js';
import { OUTPUT_CAP_BYTES } from '../../engine/engine.js';
import { requireService } from '../context.js';
import { formatCommand } from '../display.js';
import type { Probe, ProbeContext, ProbeOutcome } from '../probe.js';
import { judgeProcess } from '../process-outcome.js';

export const execProbe: Probe<ExecSpec> = {
  kind: 'exec',
  stage: () => 'service',
  // Commands share the one container and its limits: one at a time, none can sway another's result.
  schedule: 'one-at-a-time',
  defaultTimeoutMs: 10_000,
  async run(check: Check<ExecSpec>, ctx: ProbeContext): Promise<ProbeOutcome> {
    const { spec } = check;
    const { timeoutMs } = ctx;
    const outcome = await requireService(ctx).handle.exec(spec.command, { timeoutMs, outputCap: OUTPUT_CAP_BYTES });
    return judgeProcess(formatCommand(spec.command), outcome, spec, timeoutMs);
  },
};
