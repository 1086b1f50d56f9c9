/**
 * Ctrl-C and `kill` (SIGINT, SIGTERM) during a run: the first signal aborts the run,
 * which unwinds and cleans up by itself; if it has not finished `graceMs` later, the
 * adapter's last resort runs. Later signals change nothing.
 */

export interface InterruptHandling {
  /** How the abort reason starts, e.g. `interrupted` → "interrupted by SIGINT". */
  reason: string;
  /** Said once, when the first signal arrives (a log line). */
  announce(signal: NodeJS.Signals): void;
  graceMs: number;
  /** Runs when the run has not unwound `graceMs` after the signal: typically removes what it can and exits. */
  giveUp(): void;
}

export interface Interrupts {
  /** Aborted by the first signal. */
  readonly signal: AbortSignal;
  /** Stops listening for the signals (the grace timer, once started, keeps running). */
  release(): void;
}

const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

export function catchInterrupts(handling: InterruptHandling): Interrupts {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) return;
    handling.announce(signal);
    controller.abort(new Error(`${handling.reason} by ${signal}`));
    setTimeout(handling.giveUp, handling.graceMs).unref();
  };
  for (const signal of SIGNALS) process.on(signal, onSignal);
  return {
    signal: controller.signal,
    release: () => {
      for (const signal of SIGNALS) process.off(signal, onSignal);
    },
  };
}
