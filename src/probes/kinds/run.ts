/** `run`: a fresh one-shot container from the image, for CLI projects. */
import type { Check, RunSpec } from '../../rubric/model.js';
import { OUTPUT_CAP_BYTES, requireImage } from '../context.js';
import { formatCommand } from '../display.js';
import type { Probe, ProbeContext, ProbeOutcome } from '../probe.js';
import { judgeProcess } from '../process-outcome.js';

export const RUN_TIMEOUT_MS = 10_000;

export const runProbe: Probe<RunSpec> = {
  kind: 'run',
  stage: () => 'image',
  defaultTimeoutMs: RUN_TIMEOUT_MS,
  async run(check: Check<RunSpec>, ctx: ProbeContext): Promise<ProbeOutcome> {
    const { spec } = check;
    const timeoutMs = check.timeoutMs ?? RUN_TIMEOUT_MS;
    const outcome = await ctx.engine.runOnce({
      image: requireImage(ctx).ref,
      args: spec.args,
      ...(spec.stdin !== undefined ? { stdin: spec.stdin } : {}),
      env: spec.env,
      limits: ctx.limits,
      labels: ctx.labels,
      timeoutMs,
      outputCap: OUTPUT_CAP_BYTES,
    });
    const label = spec.args.length > 0 ? `docker run IMAGE ${formatCommand(spec.args)}` : 'docker run IMAGE';
    return judgeProcess(label, outcome, spec, timeoutMs);
  },
};
