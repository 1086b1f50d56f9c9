/**
 * BuildKit keeps `RUN --mount=type=cache` folders between builds, keyed by the mount's
 * `id` (its target when no id is given), for every build on the engine. So that no run
 * sees a cache another run filled, each cache mount's id is rewritten to one that only
 * this run uses. The edit stays inside the flag's value, so line numbers do not move.
 */
import { createHash } from 'node:crypto';
import { DockerfileParser, ModifiableInstruction } from 'dockerfile-ast';

/** Prefix of every cache-mount id the grader writes; the run id follows. */
export const CACHE_MOUNT_ID_PREFIX = 'grader-';

export function cacheMountId(runId: string, originalKey: string): string {
  const digest = createHash('sha256').update(originalKey).digest('hex').slice(0, 16);
  return `${CACHE_MOUNT_ID_PREFIX}${runId}-${digest}`;
}

/** Splits a `--mount` value into its comma-separated fields, as BuildKit's CSV reader does (double quotes group). */
export function mountFields(value: string): string[] {
  const fields: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const char = value[i]!;
    if (char === '"') {
      if (quoted && value[i + 1] === '"') {
        current += '"';
        i++;
      } else {
        quoted = !quoted;
      }
    } else if (char === ',' && !quoted) {
      fields.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  fields.push(current);
  return fields;
}

function fieldValue(fields: string[], key: string): string | undefined {
  const field = fields.find((f) => f.toLowerCase().startsWith(`${key}=`));
  return field?.slice(key.length + 1);
}

/** The mount's `type`, lower case; BuildKit's default is `bind`. */
export function mountType(fields: string[]): string {
  return (fieldValue(fields, 'type') ?? 'bind').toLowerCase();
}

/** The image or stage a mount reads from (`from=`), if any. */
export function mountSource(fields: string[]): string | undefined {
  return fieldValue(fields, 'from');
}

function quoteField(field: string): string {
  return /[",]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}

/** The Dockerfile with every cache mount's id replaced by one private to `runId`. */
export function isolateCacheMounts(text: string, runId: string): string {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const offset = (position: { line: number; character: number }) => (lineStarts[position.line] ?? text.length) + position.character;

  const edits: { start: number; end: number; value: string }[] = [];
  for (const instruction of DockerfileParser.parse(text).getInstructions()) {
    if (instruction.getKeyword().toUpperCase() !== 'RUN' || !(instruction instanceof ModifiableInstruction)) continue;
    for (const flag of instruction.getFlags()) {
      if (flag.getName().toLowerCase() !== 'mount') continue;
      const range = flag.getValueRange();
      const value = flag.getValue();
      if (range === null || value === null) continue;
      const fields = mountFields(value);
      if (mountType(fields) !== 'cache') continue;
      const key =
        fieldValue(fields, 'id') ?? fieldValue(fields, 'target') ?? fieldValue(fields, 'dst') ?? fieldValue(fields, 'destination') ?? '';
      const kept = fields.filter((f) => !f.toLowerCase().startsWith('id='));
      const rewritten = [...kept, `id=${cacheMountId(runId, key)}`].map(quoteField).join(',');
      edits.push({ start: offset(range.start), end: offset(range.end), value: rewritten });
    }
  }
  let result = text;
  for (const edit of edits.sort((a, b) => b.start - a.start)) {
    result = result.slice(0, edit.start) + edit.value + result.slice(edit.end);
  }
  return result;
}
