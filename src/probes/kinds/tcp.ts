/** `tcp`: a port of the running service accepts connections. */
import { tryConnect } from '../../basics/net.js';
import { t } from '../../basics/i18n/catalogue.js';
import { formatDuration } from '../../basics/units.js';
import type { Check, TcpSpec } from '../../rubric/model.js';
import { exitNote, nothingListening, requireService, targetPort } from '../context.js';
import type { Probe, ProbeContext, ProbeOutcome } from '../probe.js';

export const tcpProbe: Probe<TcpSpec> = {
  kind: 'tcp',
  stage: () => 'service',
  schedule: 'concurrent',
  defaultTimeoutMs: 5_000,
  async run(check: Check<TcpSpec>, ctx: ProbeContext): Promise<ProbeOutcome> {
    const service = requireService(ctx);
    const port = targetPort(ctx, check.spec.port);
    if (port === undefined) {
      return { status: 'failed', message: t('probe.tcp.no_port') };
    }
    const { timeoutMs } = ctx;
    const address = await service.handle.address(port);
    const result = await tryConnect(address.host, address.port, { timeoutMs, signal: ctx.signal });
    switch (result) {
      case 'connected':
        return { status: 'passed', message: t('probe.tcp.connected', { port }) };
      case 'refused':
        return { status: 'failed', message: `${nothingListening(port)}${exitNote(ctx)}` };
      case 'timeout':
        return {
          status: 'failed',
          message: `${t('probe.tcp.timeout', { port, limit: formatDuration(timeoutMs) })}${exitNote(ctx)}`,
        };
      case 'closed':
        return { status: 'failed', message: `${t('probe.tcp.closed', { port })}${exitNote(ctx)}` };
      case 'aborted':
        return { status: 'error', message: t('probe.cancelled') };
      default:
        return { status: 'failed', message: `${t('probe.tcp.failed', { port, error: result.error })}${exitNote(ctx)}` };
    }
  },
};
