/**
 * Noticing the memory limit killing a process inside a container that keeps running
 * (an exec): the engine records no State.OOMKilled then, but it does emit an `oom` event.
 */
import type Dockerode from 'dockerode';
import { settleWithin } from '../../basics/deadline.js';

export interface OomWatch {
  /** Whether an OOM kill was seen, waiting up to `graceMs` for an event still on its way. */
  killed(graceMs: number): Promise<boolean>;
  close(): void;
}

export async function watchOom(docker: Dockerode, containerId: string): Promise<OomWatch> {
  const abort = new AbortController();
  const events = (await docker.getEvents({
    filters: { container: [containerId], event: ['oom'] },
    abortSignal: abort.signal,
  } as Parameters<Dockerode['getEvents']>[0])) as NodeJS.ReadableStream;
  let seen = false;
  const oom = new Promise<void>((resolve) => {
    events.on('data', () => {
      seen = true;
      resolve();
    });
  });
  events.on('error', () => {}); // aborting on close ends the stream with an error
  return {
    async killed(graceMs) {
      return seen || (await settleWithin(oom, graceMs));
    },
    close: () => abort.abort(),
  };
}
