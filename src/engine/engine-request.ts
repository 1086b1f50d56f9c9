/** Engine API calls dockerode has no method for (or whose method drops the query options). */
import type Dockerode from 'dockerode';

export function postToEngine(docker: Dockerode, path: string, options: Record<string, unknown>, timeoutMs: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    docker.modem.dial(
      {
        path: `${path}?`,
        method: 'POST',
        options,
        abortSignal: AbortSignal.timeout(timeoutMs),
        statusCodes: { 200: true, 400: 'bad parameter', 404: 'not found', 500: 'server error' },
      },
      (err: unknown, data: unknown) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(data)),
    );
  });
}
