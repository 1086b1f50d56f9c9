/**
 * Whether the built image runs as root, decided the way the engine picks a container's
 * uid: a numeric USER is that uid; a name is looked up in the image's own /etc/passwd,
 * read through the archive API, never by running the image. Whatever the grader cannot
 * show to be an unprivileged uid fails, with the reason.
 */
import { t } from '../basics/i18n/catalogue.js';
import { formatBytes } from '../basics/units.js';
import type { ContainerEngine } from '../engine/engine.js';
import { quote } from './display.js';
import { describeImageEntryType } from './file-type.js';
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

/** `user` is the image's `Config.User`. */
export async function checkNonRoot(engine: ContainerEngine, image: string, user: string): Promise<NonRootVerdict> {
  if (user === '') return { ok: false, actual: t('probe.user.actual_no_user'), problem: t('probe.user.no_user') };
  const shown = quote(user);
  const parsed = parseUser(user);
  if (parsed.kind === 'out-of-range') {
    return {
      ok: false,
      actual: t('probe.user.actual_invalid', { user: shown }),
      problem: t('probe.user.out_of_range', { user: shown, value: quote(parsed.value), max: MAX_UID }),
    };
  }
  if (parsed.kind === 'uid') {
    const actual = t('probe.user.actual_uid', { user: shown, uid: parsed.uid });
    if (parsed.uid !== 0) return { ok: true, actual };
    const problem =
      parsed.how === 'empty'
        ? t('probe.user.root_empty', { user: shown })
        : parsed.how === 'root'
          ? t('probe.user.root_name', { user: shown })
          : t('probe.user.root_uid', { user: shown });
    return { ok: false, actual, problem };
  }

  const name = quote(parsed.name);
  const path = PASSWD_PATH;
  const file = await engine.readImageFile(image, PASSWD_PATH, PASSWD_READ_BYTES);
  if (file.kind === 'missing') {
    return {
      ok: false,
      actual: t('probe.user.actual_no_passwd', { user: shown, path }),
      problem: t('probe.user.no_passwd', { user: shown, path, name }),
    };
  }
  if (file.kind === 'other') {
    return {
      ok: false,
      actual: t('probe.user.actual_unknown', { user: shown }),
      problem: t('probe.user.passwd_not_file', { user: shown, path, type: describeImageEntryType(file.type), name }),
    };
  }
  const found = lookUpPasswd(file.content, parsed.name, file.truncated);
  if (!found.found && found.complete) {
    return {
      ok: false,
      actual: t('probe.user.actual_no_such_user', { user: shown }),
      problem: t('probe.user.no_such_user', { user: shown, name, path }),
    };
  }
  if (!found.found) {
    return {
      ok: false,
      actual: t('probe.user.actual_unknown', { user: shown }),
      problem: t('probe.user.passwd_too_long', { user: shown, name, size: formatBytes(PASSWD_READ_BYTES), path }),
    };
  }
  const actual = t('probe.user.actual_passwd_uid', { user: shown, uid: found.uid, path });
  if (found.uid !== 0) return { ok: true, actual };
  // A garbled uid field reads as 0: say so, or the student sees a line without a 0 in it.
  const { line, uidField } = found;
  const problem =
    uidField === undefined
      ? t('probe.user.passwd_root_no_field', { user: shown, path, line })
      : uidField === '0'
        ? t('probe.user.passwd_root', { user: shown, path, line })
        : t('probe.user.passwd_root_garbled', { user: shown, path, line, field: quote(uidField) });
  return { ok: false, actual, problem };
}
