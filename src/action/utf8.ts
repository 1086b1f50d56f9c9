/** Limits GitHub counts in bytes of UTF-8 (the job summary, annotation messages), where Korean takes 3 bytes a character. */

const ELLIPSIS = '…';
const ELLIPSIS_BYTES = Buffer.byteLength(ELLIPSIS, 'utf8');

/** At most `maxBytes` of UTF-8: `text` itself, or its start ending in `…`, never cut inside a character. */
export function clipUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  if (maxBytes < ELLIPSIS_BYTES) return '';
  const bytes = Buffer.from(text, 'utf8');
  let end = maxBytes - ELLIPSIS_BYTES;
  // Back up to the first byte of a character: continuation bytes are 0b10xxxxxx.
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return `${bytes.subarray(0, end).toString('utf8')}${ELLIPSIS}`;
}
