/** Shaping student text for outcomes: at most 4 KiB shown per check, cut on a character boundary. */
import { t } from '../basics/i18n/catalogue.js';

export const DISPLAY_BYTES = 4096;

/** The start of `text`, at most `maxBytes` of UTF-8, with a note when cut. */
export function headForDisplay(text: string, maxBytes = DISPLAY_BYTES): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;
  let end = maxBytes;
  while (end > 0 && isContinuationByte(bytes[end])) end--;
  return `${bytes.subarray(0, end).toString('utf8')}\n${t('probe.display.cut_head', { bytes: bytes.length })}`;
}

/** The end of `text`, at most `maxBytes` of UTF-8, with a note when cut: for logs, where the last lines matter. */
export function tailForDisplay(text: string, maxBytes = DISPLAY_BYTES): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;
  let start = bytes.length - maxBytes;
  while (start < bytes.length && isContinuationByte(bytes[start])) start++;
  return `${t('probe.display.cut_tail', { bytes: bytes.length })}\n${bytes.subarray(start).toString('utf8')}`;
}

function isContinuationByte(byte: number | undefined): boolean {
  return byte !== undefined && (byte & 0xc0) === 0x80;
}

/** A command as a reader would type it: `sh -c 'echo hi'`. */
export function formatCommand(words: string[]): string {
  return words.map((w) => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replaceAll("'", `'\\''`)}'`)).join(' ');
}

export function quote(text: string, maxChars = 80): string {
  const shown = text.length > maxChars ? `${text.slice(0, maxChars)}…` : text;
  return JSON.stringify(shown);
}

/** The clauses of one message: `a; b` in English, separate sentences in Korean. */
export function joinClauses(clauses: readonly string[]): string {
  return clauses.join(t('probe.join.clauses'));
}

/** A clause to append to a message: `; clause` in English. */
export function followingClause(clause: string): string {
  return `${t('probe.join.clauses')}${clause}`;
}
