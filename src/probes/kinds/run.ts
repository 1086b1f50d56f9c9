/** `run`: a fresh one-shot container from the image, for CLI projects. */
import { OUTPUT_CAP_BYTES, type ProcessOutcome } from '../../engine/engine.js';
import { NoCommandError, hasStartCommand, nothingToStart } from '../../engine/container/start-command.js';
import type { Check, RunSpec } from '../../rubric/model.js';
import { requireImage } from '../context.js';
import { formatCommand } from '../display.js';
import type { Probe, ProbeContext, ProbeOutcome } from '../probe.js';
import { judgeProcess } from '../process-outcome.js';

export const runProbe: Probe<RunSpec> = {
  kind: 'run',
  stage: () => 'image',
  schedule: 'concurrent',
  defaultTimeoutMs: 10_000,
  async run(check: Check<RunSpec>, ctx: ProbeContext): Promise<ProbeOutcome> {
    const { spec } = check;
    const { timeoutMs } = ctx;
    const image = requireImage(ctx);
    const label = spec.args.length > 0 ? `docker run IMAGE ${formatCommand(spec.args)}` : 'docker run IMAGE';
    const noCommand: ProbeOutcome = { status: 'failed', message: `${label}: ${nothingToStart()}` };
    if (!hasStartCommand(image.info, spec.args)) return noCommand;
    let outcome: ProcessOutcome;
    try {
      outcome = await ctx.engine.runOnce({
        image: image.ref,
        args: spec.args,
        ...(spec.stdin !== undefined ? { stdin: spec.stdin } : {}),
        env: spec.env,
        limits: ctx.limits,
        labels: ctx.labels,
        timeoutMs,
        outputCap: OUTPUT_CAP_BYTES,
      });
    } catch (err) {
      if (err instanceof NoCommandError) return noCommand;
      throw err;
    }
    return judgeProcess(label, outcome, spec, timeoutMs);
  },
};
