/**
 * `USER user[:group]` as the engine reads it when it starts a container (Docker uses
 * runc's user package), so that a disguised root (`00`, `+0`, a name with uid 0 in
 * /etc/passwd) is seen for what it is. Only the user part decides root: the group part
 * sets the primary group, and gid 0 gives no root power.
 */

/** The highest uid the engine accepts for a numeric USER. */
export const MAX_UID = 2 ** 31 - 1;

export type ParsedUser =
  /** `how`: written as a number, as the name `root`, or with no user part (the engine then keeps root). */
  | { kind: 'uid'; uid: number; how: 'number' | 'root' | 'empty' }
  /** A number outside 0…MAX_UID: the engine refuses to start the container. */
  | { kind: 'out-of-range'; value: string }
  /** A name, resolved through the image's /etc/passwd. */
  | { kind: 'name'; name: string };

/** The user part of a USER value: everything before the first colon. */
export function userPart(value: string): string {
  return value.split(':', 1)[0]!;
}

export function parseUser(value: string): ParsedUser {
  const user = userPart(value);
  if (user === '') return { kind: 'uid', uid: 0, how: 'empty' };
  const number = goAtoi(user);
  if (number !== undefined) {
    return number >= 0n && number <= BigInt(MAX_UID)
      ? { kind: 'uid', uid: Number(number), how: 'number' }
      : { kind: 'out-of-range', value: user };
  }
  // The engine would look `root` up in /etc/passwd too; whatever the file says, root is not an unprivileged user.
  if (user === 'root') return { kind: 'uid', uid: 0, how: 'root' };
  return { kind: 'name', name: user };
}

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

/** Go's strconv.Atoi on 64 bits: optional sign, decimal digits (leading zeros allowed), no spaces; undefined on any error. */
function goAtoi(text: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(text)) return undefined;
  const value = BigInt(text);
  return value >= INT64_MIN && value <= INT64_MAX ? value : undefined;
}

/**
 * A uid field of /etc/passwd as the engine reads it: conversion errors are ignored (a
 * missing or garbled field is 0), an overflow is clamped, and the result is cut to 32 bits.
 */
function passwdUid(field: string | undefined): number {
  let value = 0n;
  if (field !== undefined && /^[+-]?[0-9]+$/.test(field)) {
    const parsed = BigInt(field);
    value = parsed > INT64_MAX ? INT64_MAX : parsed < INT64_MIN ? INT64_MIN : parsed;
  }
  return Number(BigInt.asUintN(32, value));
}

export type PasswdLookup =
  /** `uidField`: the third field as written (undefined when the line has fewer fields), from which `uid` was read. */
  | { found: true; uid: number; uidField: string | undefined; line: number }
  /** `complete`: the whole file was searched (false when only a prefix of it was read). */
  | { found: false; complete: boolean };

// Go's bytes.TrimSpace (unicode.IsSpace) on UTF-8 bytes, each byte held as one latin1 character.
const GO_SPACE = String.raw`(?:[\t\n\v\f\r ]|\xC2[\x85\xA0]|\xE1\x9A\x80|\xE2\x80[\x80-\x8A\xA8\xA9\xAF]|\xE2\x81\x9F|\xE3\x80\x80)`;
const LEADING_SPACE = new RegExp(`^${GO_SPACE}+`);
const TRAILING_SPACE = new RegExp(`${GO_SPACE}+$`);

/**
 * Looks a name up in /etc/passwd the way the engine does: lines are trimmed and blank
 * ones skipped; the name is the first `:` field and the uid the third; there is no
 * comment syntax and no check that a line is well formed (`app` alone is uid 0); the
 * first line with the name wins, as with getpwnam. Names compare byte for byte.
 * `truncated`: `content` is only the start of the file, so its last, partial line is ignored.
 */
export function lookUpPasswd(content: Buffer, name: string, truncated: boolean): PasswdLookup {
  const wanted = Buffer.from(name, 'utf8').toString('latin1');
  const lines = content.toString('latin1').split('\n');
  if (truncated) lines.pop();
  for (const [index, raw] of lines.entries()) {
    const line = raw.replace(LEADING_SPACE, '').replace(TRAILING_SPACE, '');
    if (line === '') continue;
    const fields = line.split(':');
    if (fields[0] === wanted) {
      const uidField = fields[2] === undefined ? undefined : Buffer.from(fields[2], 'latin1').toString('utf8');
      return { found: true, uid: passwdUid(fields[2]), uidField, line: index + 1 };
    }
  }
  return { found: false, complete: !truncated };
}
