/**
 * Whether the built image runs as root, decided the way the engine picks a container's
 * uid: a numeric USER is that uid; a name is looked up in the image's own /etc/passwd,
 * read through the archive API, never by running the image. Whatever the grader cannot
 * show to be an unprivileged uid fails, with the reason.
 */
import { formatBytes } from '../basics/units.js';
import type { ContainerEngine } from '../engine/engine.js';
import { quote } from './display.js';
import { lookUpPasswd, MAX_UID, parseUser } from './users.js';

export const PASSWD_PATH = '/etc/passwd';
/** Far more than any real /etc/passwd; a bigger file is searched only this far. */
export const PASSWD_READ_BYTES = 1_000_000;

export interface NonRootVerdict {
  ok: boolean;
  /** What the image runs as, for the `actual` side of the report. */
  actual: string;
  /** Set when not ok: why, naming what was found. */
  problem?: string;
}

const FIX = 'set a non-root USER';

/** `user` is the image's `Config.User`. */
export async function checkNonRoot(engine: ContainerEngine, image: string, user: string): Promise<NonRootVerdict> {
  if (user === '') {
    return { ok: false, actual: 'user root (no USER set)', problem: `the image runs as root (no USER set); ${FIX}` };
  }
  const shown = quote(user);
  const parsed = parseUser(user);
  const runsAs = `the image runs as user ${shown}`;
  if (parsed.kind === 'out-of-range') {
    return {
      ok: false,
      actual: `user ${shown} (not a valid uid)`,
      problem: `${runsAs}, but ${quote(parsed.value)} is not a uid the engine accepts (0 to ${MAX_UID}), so the container cannot start; ${FIX}`,
    };
  }
  if (parsed.kind === 'uid') {
    const actual = `user ${shown} (uid ${parsed.uid})`;
    if (parsed.uid !== 0) return { ok: true, actual };
    const which =
      parsed.how === 'empty'
        ? 'which names no user, so the container stays root (uid 0)'
        : parsed.how === 'root'
          ? 'which is root (uid 0)'
          : 'which is uid 0 (root)';
    return { ok: false, actual, problem: `${runsAs}, ${which}; ${FIX}` };
  }

  const name = quote(parsed.name);
  const file = await engine.readImageFile(image, PASSWD_PATH, PASSWD_READ_BYTES);
  if (file.kind === 'missing') {
    return {
      ok: false,
      actual: `user ${shown} (no ${PASSWD_PATH})`,
      problem: `${runsAs}, but the image has no ${PASSWD_PATH}, so user ${name} does not exist in the image and the container cannot start; create the user in the Dockerfile or USER a numeric uid`,
    };
  }
  if (file.kind === 'other') {
    return {
      ok: false,
      actual: `user ${shown} (uid unknown)`,
      problem: `${runsAs}, but ${PASSWD_PATH} in the image is a ${file.type}, not a regular file, so the grader cannot tell which uid ${name} is; keep ${PASSWD_PATH} a regular file or USER a numeric uid`,
    };
  }
  const found = lookUpPasswd(file.content, parsed.name, file.truncated);
  if (!found.found && found.complete) {
    return {
      ok: false,
      actual: `user ${shown} (no such user)`,
      problem: `${runsAs}, but user ${name} does not exist in the image's ${PASSWD_PATH}, so the container cannot start; create the user in the Dockerfile (e.g. adduser) or USER a numeric uid`,
    };
  }
  if (!found.found) {
    return {
      ok: false,
      actual: `user ${shown} (uid unknown)`,
      problem: `${runsAs}, but ${name} is not in the first ${formatBytes(PASSWD_READ_BYTES)} of the image's ${PASSWD_PATH}, which is longer than the grader reads, so it cannot tell which uid that is`,
    };
  }
  const actual = `user ${shown} (uid ${found.uid} in ${PASSWD_PATH})`;
  if (found.uid !== 0) return { ok: true, actual };
  // A garbled uid field reads as 0: say so, or the student sees a line without a 0 in it.
  const garbled =
    found.uidField === undefined
      ? ', which has no uid field'
      : found.uidField === '0'
        ? ''
        : `, whose uid field ${quote(found.uidField)} the engine reads as 0`;
  return {
    ok: false,
    actual,
    problem: `${runsAs}, which is uid 0 (root) in the image's ${PASSWD_PATH} (line ${found.line}${garbled}); ${FIX}`,
  };
}
