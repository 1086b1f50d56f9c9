/** `tcp`: a port of the running service accepts connections. */
import net from 'node:net';
import { formatDuration } from '../../basics/units.js';
import type { Check, TcpSpec } from '../../rubric/model.js';
import { exitNote, nothingListening, requireService, targetPort } from '../context.js';
import type { Probe, ProbeContext, ProbeOutcome } from '../probe.js';

export const TCP_TIMEOUT_MS = 5_000;

export const tcpProbe: Probe<TcpSpec> = {
  kind: 'tcp',
  stage: () => 'service',
  defaultTimeoutMs: TCP_TIMEOUT_MS,
  async run(check: Check<TcpSpec>, ctx: ProbeContext): Promise<ProbeOutcome> {
    const service = requireService(ctx);
    const port = targetPort(ctx, check.spec.port);
    if (port === undefined) {
      return { status: 'failed', message: 'no port to connect to: the image EXPOSEs none and the rubric names none' };
    }
    const timeoutMs = check.timeoutMs ?? TCP_TIMEOUT_MS;
    const address = await service.handle.address(port);
    const result = await connect(address.host, address.port, timeoutMs, ctx.signal);
    switch (result) {
      case 'connected':
        return { status: 'passed', message: `port ${port} accepts connections` };
      case 'refused':
        return { status: 'failed', message: `${nothingListening(port)}${exitNote(ctx)}` };
      case 'timeout':
        return { status: 'failed', message: `port ${port} did not accept a connection within ${formatDuration(timeoutMs)}${exitNote(ctx)}` };
      case 'aborted':
        return { status: 'error', message: 'grading was cancelled' };
      default:
        return { status: 'failed', message: `could not connect to port ${port}: ${result.error}${exitNote(ctx)}` };
    }
  },
};

type ConnectResult = 'connected' | 'refused' | 'timeout' | 'aborted' | { error: string };

export function connect(host: string, port: number, timeoutMs: number, signal?: AbortSignal): Promise<ConnectResult> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const finish = (result: ConnectResult) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => finish('timeout'), timeoutMs);
    const onAbort = () => finish('aborted');
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => finish('connected'));
    socket.once('error', (error: NodeJS.ErrnoException) =>
      finish(error.code === 'ECONNREFUSED' ? 'refused' : { error: error.code ?? error.message }),
    );
  });
}
