/**
 * Telling "the engine is gone" apart from an ordinary refusal of the daemon, and
 * wording it so a person knows where the grader looked and what to do.
 */
import { EngineUnavailableError, errorMessage } from '../basics/errors.js';

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

/** The reason in a few words, from the low-level error. */
export function unavailableCause(err: unknown): string {
  const code = err instanceof Error ? (err as { code?: unknown }).code : undefined;
  if (err instanceof Error && err.name === 'AbortError') return 'timed out';
  switch (code) {
    case 'ENOENT':
      return 'not running (no socket there)';
    case 'ECONNREFUSED':
      return 'not running (connection refused)';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ETIMEDOUT':
      return 'timed out';
    default:
      return errorMessage(err);
  }
}

function advice(cause: string): string {
  if (cause === 'permission denied') {
    return 'Add your user to the "docker" group (then log in again) or run the grader with access to the socket.';
  }
  if (cause === 'timed out') return 'The engine may be hung: restart Docker and try again.';
  return 'Start Docker (Docker Desktop, or "sudo systemctl start docker"), or point DOCKER_HOST at a running engine.';
}

export function engineUnavailable(location: EngineLocation, err: unknown): EngineUnavailableError {
  if (err instanceof EngineUnavailableError) return err;
  const cause = unavailableCause(err);
  return new EngineUnavailableError(`The Docker Engine at ${location.description} does not answer: ${cause}. ${advice(cause)}`, {
    cause: err,
  });
}

/** Rethrows "engine gone" errors as EngineUnavailableError, everything else unchanged. */
export function translateEngineError(location: EngineLocation, err: unknown): unknown {
  return isEngineGone(err) ? engineUnavailable(location, err) : err;
}
