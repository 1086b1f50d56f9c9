/** `stop`: the service exits cleanly on SIGTERM within the limit. */
import { t } from '../../basics/i18n/catalogue.js';
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
      const code = earlier.exitCode;
      return {
        status: 'failed',
        message: earlier.oomKilled ? t('probe.stop.already_exited_oom', { code }) : t('probe.stop.already_exited', { code }),
      };
    }
    const result = await handle.stop(check.spec.withinMs);
    const expected = t('probe.stop.expected', { within });
    if (result.exitedInTime) {
      const elapsed = formatDuration(result.elapsedMs);
      return {
        status: 'passed',
        message: t('probe.stop.stopped', { elapsed, code: result.exit.exitCode }),
        expected,
        actual: t('probe.stop.exited_after', { elapsed }),
      };
    }
    const shellForm = shellFormStart(ctx.dockerfile);
    const why = shellForm
      ? t('probe.stop.shell_form', { keyword: shellForm.keyword, line: shellForm.line })
      : t('probe.stop.no_signal_handling');
    return {
      status: 'failed',
      message: t('probe.stop.killed', { within, why }),
      expected,
      actual: t('probe.stop.did_not_exit'),
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
