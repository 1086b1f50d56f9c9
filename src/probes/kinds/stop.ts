/** `stop`: the service exits cleanly on SIGTERM within the limit. */
import { formatDuration } from '../../basics/units.js';
import type { Check, StopSpec } from '../../rubric/model.js';
import { requireService } from '../context.js';
import { finalStageChain } from '../dockerfile/model.js';
import type { DockerfileModel } from '../dockerfile/model.js';
import type { Probe, ProbeContext, ProbeOutcome } from '../probe.js';

export const stopProbe: Probe<StopSpec> = {
  kind: 'stop',
  stage: () => 'service',
  // Stopping ends the service the other checks talk to.
  schedule: 'last',
  // The probe itself waits `within` and then for the kill; this bounds the whole thing.
  defaultTimeoutMs: 30_000,
  async run(check: Check<StopSpec>, ctx: ProbeContext): Promise<ProbeOutcome> {
    const { handle } = requireService(ctx);
    const within = formatDuration(check.spec.withinMs);
    const earlier = handle.exitInfo();
    if (earlier) {
      return {
        status: 'failed',
        message: `the container had already exited (code ${earlier.exitCode}${earlier.oomKilled ? ', out of memory' : ''}) before it was asked to stop`,
      };
    }
    const result = await handle.stop(check.spec.withinMs);
    const expected = `exits within ${within} of SIGTERM`;
    if (result.exitedInTime) {
      return {
        status: 'passed',
        message: `stopped ${formatDuration(result.elapsedMs)} after SIGTERM (exit code ${result.exit.exitCode})`,
        expected,
        actual: `exited after ${formatDuration(result.elapsedMs)}`,
      };
    }
    const shellForm = shellFormStart(ctx.dockerfile);
    const why = shellForm
      ? `${shellForm.keyword} on line ${shellForm.line} is in shell form, so PID 1 is /bin/sh, which does not pass SIGTERM on to your app; use the JSON form`
      : 'PID 1 in a container gets no default signal handling, so the app must handle SIGTERM itself (or run with an init such as tini)';
    return {
      status: 'failed',
      message: `still running ${within} after SIGTERM, so it was killed; ${why}`,
      expected,
      actual: 'did not exit in time (killed)',
      ...(shellForm && ctx.dockerfile ? { locations: [{ path: ctx.dockerfile.path, line: shellForm.line }] } : {}),
    };
  },
};

/** The shell-form CMD or ENTRYPOINT that starts the final image, if that is how it starts. */
function shellFormStart(df: DockerfileModel | undefined): { keyword: string; line: number } | undefined {
  if (!df) return undefined;
  const starts = finalStageChain(df)
    .reverse()
    .flatMap((stage) => stage.instructions.filter((i) => i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT'));
  const entrypoint = starts.filter((i) => i.keyword === 'ENTRYPOINT').at(-1);
  const cmd = starts.filter((i) => i.keyword === 'CMD').at(-1);
  // With an ENTRYPOINT, it is PID 1; CMD only supplies its arguments.
  const start = entrypoint ?? cmd;
  return start && !start.json ? start : undefined;
}
