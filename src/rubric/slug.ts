/** Default check ids: a slug of the check's name that keeps letters and digits of any script. */

/** `Dockerfile is present` → `dockerfile-is-present`; `도커파일 존재` → `도커파일-존재`. */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
  return slug || 'check';
}

/**
 * Ids for every check: explicit ones as written, the others slugged from the name.
 * Explicit ids are reserved first so a generated id never takes one; a generated id that
 * is already taken gets `-2`, `-3`, ...
 */
export function assignIds(checks: readonly { id?: string; name: string }[]): string[] {
  const taken = new Set(checks.flatMap((check) => (check.id === undefined ? [] : [check.id])));
  return checks.map((check) => {
    if (check.id !== undefined) return check.id;
    const base = slugify(check.name);
    let id = base;
    for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
    taken.add(id);
    return id;
  });
}
