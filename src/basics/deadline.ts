/** Time limits on work: every race against the clock goes through one timer that is always cleared. */

export interface Deadline {
  /** Aborts when the time is up, or when the outer signal aborts. */
  readonly signal: AbortSignal;
  /** Whether it was the time that ran out (rather than the outer signal). */
  expired(): boolean;
  /** Stops the timer and lets go of the outer signal. */
  dispose(): void;
}

export function startDeadline(ms: number, outer?: AbortSignal): Deadline {
  const controller = new AbortController();
  let expired = false;
  const timer = setTimeout(() => {
    expired = true;
    controller.abort();
  }, ms);
  const onOuterAbort = () => controller.abort();
  if (outer?.aborted) controller.abort();
  else outer?.addEventListener('abort', onOuterAbort, { once: true });
  return {
    signal: controller.signal,
    expired: () => expired,
    dispose: () => {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onOuterAbort);
    },
  };
}

/**
 * What `work` settles with, or what `onExpiry` returns when `ms` pass first (it may
 * throw, which rejects). `work` is not stopped: pass it a signal for that.
 */
export async function within<T, U>(work: Promise<T>, ms: number, onExpiry: () => U): Promise<T | U> {
  const deadline = startDeadline(ms);
  const expiry = new Promise<U>((resolve, reject) => {
    deadline.signal.addEventListener(
      'abort',
      () => {
        try {
          resolve(onExpiry());
        } catch (err) {
          reject(err as Error);
        }
      },
      { once: true },
    );
  });
  try {
    return await Promise.race([work, expiry]);
  } finally {
    deadline.dispose();
  }
}

/** Whether `promise` settles (either way) within `ms`; never rejects. */
export function settleWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return within(
    promise.then(
      () => true,
      () => true,
    ),
    ms,
    () => false,
  );
}
