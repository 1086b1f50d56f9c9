/** An abort signal that many gradings listen on at once (one per student or mutant): expected, not a leak. */
import { setMaxListeners } from 'node:events';

export async function withSharedSignal<T>(outer: AbortSignal | undefined, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const stop = new AbortController();
  setMaxListeners(0, stop.signal);
  const forward = () => stop.abort(outer?.reason);
  if (outer?.aborted) forward();
  outer?.addEventListener('abort', forward, { once: true });
  try {
    return await fn(stop.signal);
  } finally {
    outer?.removeEventListener('abort', forward);
  }
}
