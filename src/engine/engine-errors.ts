/**
 * Telling "the engine is gone" apart from an ordinary refusal of the daemon, and
 * wording it so a person knows where the grader looked and what to do.
 */
import { EngineUnavailableError, errorMessage } from '../basics/errors.js';
import { t } from '../basics/i18n/catalogue.js';

const GONE_CODES = new Set(['ECONNREFUSED', 'ENOENT', 'EACCES', 'EPERM', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH']);

/** Where the grader looks for the engine, as a person would write it. */
export interface EngineLocation {
  description: string;
}

export function isEngineGone(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err instanceof EngineUnavailableError) return true;
  // An HTTP answer of the daemon (404, 409, 500…) means the engine is there.
  if (typeof (err as { statusCode?: unknown }).statusCode === 'number') return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && GONE_CODES.has(code)) return true;
  return /socket hang up/i.test(err.message);
}

export function isDaemonStatus(err: unknown, status: number): boolean {
  return err instanceof Error && (err as { statusCode?: unknown }).statusCode === status;
}

type Cause = 'timeout' | 'no-socket' | 'refused' | 'permission' | 'other';

function causeOf(err: unknown): Cause {
  if (err instanceof Error && err.name === 'AbortError') return 'timeout';
  switch (err instanceof Error ? (err as { code?: unknown }).code : undefined) {
    case 'ENOENT':
      return 'no-socket';
    case 'ECONNREFUSED':
      return 'refused';
    case 'EACCES':
    case 'EPERM':
      return 'permission';
    case 'ETIMEDOUT':
      return 'timeout';
    default:
      return 'other';
  }
}

/** The reason in a few words, from the low-level error. */
export function unavailableCause(err: unknown): string {
  switch (causeOf(err)) {
    case 'timeout':
      return t('engine.unavailable.timeout');
    case 'no-socket':
      return t('engine.unavailable.no_socket');
    case 'refused':
      return t('engine.unavailable.refused');
    case 'permission':
      return t('engine.unavailable.permission');
    case 'other':
      return errorMessage(err);
  }
}

function advice(cause: Cause): string {
  if (cause === 'permission') return t('engine.unavailable.advice_permission');
  if (cause === 'timeout') return t('engine.unavailable.advice_timeout');
  return t('engine.unavailable.advice_start');
}

export function engineUnavailable(location: EngineLocation, err: unknown): EngineUnavailableError {
  if (err instanceof EngineUnavailableError) return err;
  const message = t('engine.unavailable', { location: location.description, cause: unavailableCause(err), advice: advice(causeOf(err)) });
  return new EngineUnavailableError(message, { cause: err });
}

/** Rethrows "engine gone" errors as EngineUnavailableError, everything else unchanged. */
export function translateEngineError(location: EngineLocation, err: unknown): unknown {
  return isEngineGone(err) ? engineUnavailable(location, err) : err;
}
