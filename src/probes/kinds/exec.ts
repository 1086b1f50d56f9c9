/** `exec`: a command inside the running service container. */
import type { Check, ExecSpec } from '../../rubric/model.js';
import { OUTPUT_CAP_BYTES, requireService } from '../context.js';
import { formatCommand } from '../display.js';
import type { Probe, ProbeContext, ProbeOutcome } from '../probe.js';
import { judgeProcess } from '../process-outcome.js';

export const EXEC_TIMEOUT_MS = 10_000;

export const execProbe: Probe<ExecSpec> = {
  kind: 'exec',
  stage: () => 'service',
  defaultTimeoutMs: EXEC_TIMEOUT_MS,
  async run(check: Check<ExecSpec>, ctx: ProbeContext): Promise<ProbeOutcome> {
    const { spec } = check;
    const timeoutMs = check.timeoutMs ?? EXEC_TIMEOUT_MS;
    const outcome = await requireService(ctx).handle.exec(spec.command, { timeoutMs, outputCap: OUTPUT_CAP_BYTES });
    return judgeProcess(formatCommand(spec.command), outcome, spec, timeoutMs);
  },
};
