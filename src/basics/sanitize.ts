/**
 * Making student-controlled text safe to show: in a terminal, in GitHub markdown,
 * and in a workflow log. Pure functions; every renderer passes student text through here.
 */
import { randomBytes } from 'node:crypto';

const ZERO_WIDTH_SPACE = '\u200B';

/** Terminal escape sequences (ECMA-48), in 7-bit (ESC …) and 8-bit (C1) form. */
const ESCAPE_SEQUENCE = new RegExp(
  [
    // CSI: parameters, intermediates, one final byte (colours, cursor moves, erase…)
    String.raw`(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]`,
    // OSC, DCS, SOS, PM, APC: a string up to BEL or ST. An unterminated one is
    // taken to the end of its line, so it cannot swallow the rest of the text.
    String.raw`(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c)?`,
    // Any other escape: intermediates and one final byte (charset switches, ESC 7, ESC c…)
    String.raw`\x1b[\x20-\x2f]*[\x30-\x7e]`,
  ].join('|'),
  'g',
);
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;
// Bidirectional overrides and isolates can make text read differently from what it is ("Trojan Source").
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text fit to show anywhere: escape sequences removed, line endings `\n` (CR, CRLF and
 * the Unicode line and paragraph separators included, so a renderer that marks each line
 * sees every line), NUL and invalid UTF-16 shown as U+FFFD, other control characters as
 * visible `\xHH`. Idempotent.
 */
export function cleanText(s: string): string {
  return s
    .replace(ESCAPE_SEQUENCE, '')
    .replace(/\r\n?|[\u2028\u2029]/g, '\n')
    .replace(LONE_SURROGATE, '\uFFFD')
    .replace(CONTROL, (c) => (c === '\0' ? '\uFFFD' : `\\x${hex(c, 2)}`))
    .replace(BIDI_CONTROL, (c) => `\\u${hex(c, 4)}`);
}

function hex(c: string, width: number): string {
  return c.charCodeAt(0).toString(16).toUpperCase().padStart(width, '0');
}

/**
 * Breaks every `<` that could open an HTML tag or comment, and every `@mention`,
 * with a zero-width space. Code looks the same, but nothing reading the raw body
 * (GitHub's sanitiser and notifier, the action's marker search) sees a tag or a name.
 */
export function defuse(s: string): string {
  return s.replace(/<(?=[A-Za-z!/?])/g, `<${ZERO_WIDTH_SPACE}`).replace(/@(?=[\w-])/g, `@${ZERO_WIDTH_SPACE}`);
}

/**
 * A fenced code block that nothing inside can close: the fence is one backtick
 * longer than the longest run in the text (at least three). Ends with a newline.
 */
export function fence(text: string, info = ''): string {
  const body = defuse(cleanText(text));
  const longestRun = Math.max(0, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
  const marks = '`'.repeat(Math.max(3, longestRun + 1));
  const safeInfo = info.replace(/[^\w+.-]/g, '');
  const content = body.endsWith('\n') || body === '' ? body : `${body}\n`;
  return `${marks}${safeInfo}\n${content}${marks}\n`;
}

/**
 * An inline code span for one line of text; the delimiters are longer than any
 * backtick run inside. Not for table cells (a `|` would still split the cell).
 */
export function inlineCode(s: string): string {
  const body = defuse(cleanText(s).replace(/\n/g, ' '));
  if (body === '') return '` `';
  const longestRun = Math.max(0, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
  const marks = '`'.repeat(longestRun + 1);
  const pad = body.startsWith('`') || body.endsWith('`') || (body.startsWith(' ') && body.endsWith(' ')) ? ' ' : '';
  return `${marks}${pad}${body}${pad}${marks}`;
}

const INLINE_SPECIAL: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '\\': '\\\\',
  '`': '\\`',
  '*': '\\*',
  _: '\\_',
  '[': '\\[',
  ']': '\\]',
  '|': '\\|',
  '~': '\\~',
  '#': '\\#',
};

/**
 * One line of text for a heading, table cell or list item: rendered literally,
 * on one line, with no HTML, no mentions and no issue links.
 */
export function escapeInline(s: string): string {
  return escapeSpecials(
    cleanText(s)
      .replace(/[\t\n]/g, ' ')
      .trim(),
    true,
  );
}

function escapeSpecials(text: string, atLineStart: boolean): string {
  let escaped = text.replace(/[&<>\\`*_[\]|~#]/g, (c) => INLINE_SPECIAL[c]!);
  if (atLineStart) {
    // Block markers only matter at the start of a line: list items, thematic breaks, setext underlines.
    escaped = escaped.replace(/^([-+=])/, '\\$1').replace(/^(\d+)([.)])/, '$1\\$2');
  }
  return escaped.replace(/@(?=[\w-])/g, `@${ZERO_WIDTH_SPACE}`).replace(/#(?=\d)/g, `#${ZERO_WIDTH_SPACE}`);
}

/**
 * Like escapeInline, but text between single backticks becomes a real code span
 * (itself defused), so `USER app` in a message or an instructor's hint reads as code.
 */
export function escapeInlineWithCode(s: string): string {
  return cleanText(s)
    .replace(/[\t\n]/g, ' ')
    .trim()
    .split(/(`[^`]+`)/)
    .map((part, index) => (index % 2 === 1 ? inlineCode(part.slice(1, -1)) : escapeSpecials(part, index === 0)))
    .join('');
}

/**
 * Makes sure `marker` (the hidden comment the action searches for) does not
 * occur in `s`, whatever its case, by putting a zero-width space after its first character.
 */
export function neutraliseMarker(s: string, marker: string): string {
  if (marker.length < 2 || marker.includes(ZERO_WIDTH_SPACE)) {
    throw new RangeError('a report marker must be at least two characters, without zero-width spaces');
  }
  const pattern = new RegExp(marker.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi');
  let out = s;
  // Overlapping occurrences of a self-similar marker can survive one pass.
  while (pattern.test(out)) {
    pattern.lastIndex = 0;
    out = out.replace(pattern, (m) => `${m.slice(0, 1)}${ZERO_WIDTH_SPACE}${m.slice(1)}`);
  }
  return out;
}

/** The visible note put where text was cut (in English; a renderer passes its language's). */
export function omittedNote(count: number): string {
  return `… ${count.toLocaleString('en-US')} characters omitted …`;
}

/** Says how many characters were cut out of a text. */
export type OmittedNote = (count: number) => string;

/**
 * At most `maxChars`: the start and the end of `s`, with a note in the middle
 * saying how much was left out. Never splits a surrogate pair.
 */
export function truncateMiddle(s: string, maxChars: number, note: OmittedNote = omittedNote): string {
  if (s.length <= maxChars) return s;
  const noteRoom = note(s.length).length + 2;
  if (maxChars <= noteRoom) return s.slice(0, backToBoundary(s, maxChars));
  const keep = maxChars - noteRoom;
  const head = s.slice(0, backToBoundary(s, Math.ceil(keep / 2)));
  const tailText = s.slice(forwardToBoundary(s, s.length - Math.floor(keep / 2)));
  return `${head}\n${note(s.length - head.length - tailText.length)}\n${tailText}`;
}

/** At most `maxChars` of `s`: its start, ending in `…` when cut. Never splits a surrogate pair. */
export function clip(s: string, maxChars: number): string {
  return s.length <= maxChars ? s : `${s.slice(0, backToBoundary(s, maxChars - 1))}…`;
}

/** The first line of `s` that is not blank, trimmed; `s` itself when every line is blank. */
export function firstLine(s: string): string {
  return (
    s
      .split('\n')
      .find((line) => line.trim() !== '')
      ?.trim() ?? s
  );
}

/** The last `maxLines` lines of `s`, at most `maxChars`, with a note first saying how much was left out. */
export function tail(s: string, maxLines: number, maxChars: number, note: OmittedNote = omittedNote): string {
  const lines = withoutFinalNewline(s).split('\n');
  let kept = lines.slice(Math.max(0, lines.length - maxLines)).join('\n');
  if (kept.length > maxChars) {
    const room = Math.max(0, maxChars - note(s.length).length - 1);
    kept = kept.slice(forwardToBoundary(kept, kept.length - room));
  }
  const omitted = withoutFinalNewline(s).length - kept.length;
  return omitted > 0 ? `${note(omitted)}\n${kept}` : kept;
}

/** The first `maxLines` lines of `s`, at most `maxChars`, with a note last saying how much was left out. */
export function head(s: string, maxLines: number, maxChars: number, note: OmittedNote = omittedNote): string {
  const lines = withoutFinalNewline(s).split('\n');
  let kept = lines.slice(0, maxLines).join('\n');
  if (kept.length > maxChars) {
    const room = Math.max(0, maxChars - note(s.length).length - 1);
    kept = kept.slice(0, backToBoundary(kept, room));
  }
  const omitted = withoutFinalNewline(s).length - kept.length;
  return omitted > 0 ? `${kept}\n${note(omitted)}` : kept;
}

function withoutFinalNewline(s: string): string {
  return s.endsWith('\n') ? s.slice(0, -1) : s;
}

function isLowSurrogate(s: string, i: number): boolean {
  const code = s.charCodeAt(i);
  return code >= 0xdc00 && code <= 0xdfff;
}

/** An end index that does not cut a surrogate pair in two. */
function backToBoundary(s: string, end: number): number {
  return end > 0 && end < s.length && isLowSurrogate(s, end) ? end - 1 : end;
}

/** A start index that does not cut a surrogate pair in two. */
function forwardToBoundary(s: string, start: number): number {
  return start > 0 && start < s.length && isLowSurrogate(s, start) ? start + 1 : start;
}

/** A fresh unguessable token for `::stop-commands::`; use a new one for every block of student text. */
export function stopCommandsToken(): string {
  return randomBytes(16).toString('hex');
}

/**
 * Student text for the job log, between `::stop-commands::TOKEN` and `::TOKEN::`
 * so the runner does not act on any `::command::` lines inside it.
 */
export function wrapForWorkflowLog(text: string, token: string = stopCommandsToken()): string {
  if (token.length < 16 || text.includes(token)) {
    throw new Error('stop-commands token must be long, random and absent from the text it wraps');
  }
  const body = text.endsWith('\n') ? text : `${text}\n`;
  return `::stop-commands::${token}\n${body}::${token}::\n`;
}
