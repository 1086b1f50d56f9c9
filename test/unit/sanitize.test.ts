import { describe, expect, it } from 'vitest';
import {
  cleanText,
  clip,
  escapeInline,
  fence,
  firstLine,
  head,
  inlineCode,
  neutraliseMarker,
  stopCommandsToken,
  tail,
  truncateMiddle,
  wrapForWorkflowLog,
} from '../../src/basics/sanitize.js';
import { escapeInlineWithCode } from '../../src/basics/sanitize.js';

const ESC = '\x1b';

describe('cleanText', () => {
  it('strips colour, cursor and title escape sequences', () => {
    expect(cleanText(`${ESC}[1;31mred${ESC}[0m plain`)).toBe('red plain');
    expect(cleanText(`a${ESC}[2K${ESC}[1Gb`)).toBe('ab');
    expect(cleanText(`${ESC}]0;evil title\x07after`)).toBe('after');
    expect(cleanText(`${ESC}]8;;https://evil.example${ESC}\\link${ESC}]8;;${ESC}\\`)).toBe('link');
    expect(cleanText(`${ESC}P1$r0m${ESC}\\x`)).toBe('x');
    expect(cleanText(`\x9b31mC1 csi`)).toBe('C1 csi');
    expect(cleanText(`${ESC}(Bcharset ${ESC}7saved`)).toBe('charset saved');
  });

  it('stops an unterminated OSC at the end of its line', () => {
    expect(cleanText(`${ESC}]0;never ends\nnext line`)).toBe('\nnext line');
  });

  it('shows NUL as U+FFFD and other controls as \\xHH, keeping tab and newline', () => {
    expect(cleanText('a\0b')).toBe('a\uFFFDb');
    expect(cleanText('bell\x07 back\x08 del\x7f c1\x85')).toBe('bell\\x07 back\\x08 del\\x7F c1\\x85');
    expect(cleanText('tab\there\nline')).toBe('tab\there\nline');
    expect(cleanText(`lone ${ESC}\nescape ${ESC}`)).toBe('lone \\x1B\nescape \\x1B');
  });

  it('normalises CRLF, CR and the Unicode line and paragraph separators to LF', () => {
    expect(cleanText('a\r\nb\rc\n')).toBe('a\nb\nc\n');
    expect(cleanText('a\u2028b\u2029c')).toBe('a\nb\nc');
  });

  it('replaces lone surrogates and keeps real pairs', () => {
    expect(cleanText('x\uD800y\uDC00z')).toBe('x\uFFFDy\uFFFDz');
    expect(cleanText('emoji 🐳')).toBe('emoji 🐳');
  });

  it('makes bidirectional overrides visible', () => {
    expect(cleanText('abc\u202Edcb')).toBe('abc\\u202Edcb');
  });

  it('leaves Korean alone and is idempotent', () => {
    const text = `한글 ${ESC}[32m출력${ESC}[0m\0\x07`;
    expect(cleanText(text)).toBe('한글 출력\uFFFD\\x07');
    expect(cleanText(cleanText(text))).toBe(cleanText(text));
  });
});

/** The CommonMark rule: a closing fence is (up to 3 spaces, then) at least as many backticks as the opening, then only blanks. */
function closingFenceLines(block: string): number[] {
  const lines = block.split('\n');
  const opening = /^(`{3,})/.exec(lines[0]!)![1]!;
  const closers: number[] = [];
  lines.forEach((line, i) => {
    const m = /^ {0,3}(`+)[ \t]*$/.exec(line);
    if (i > 0 && m && m[1]!.length >= opening.length) closers.push(i);
  });
  return closers;
}

describe('fence', () => {
  it('uses three backticks for plain text and ends with a newline', () => {
    expect(fence('hello', 'text')).toBe('```text\nhello\n```\n');
    expect(fence('')).toBe('```\n```\n');
  });

  it('can only be closed by its own last line, whatever runs of backticks are inside', () => {
    const hostile = 'before\n```\nescaped?\n````\n`````js\n  ```\nafter';
    const block = fence(hostile, 'text');
    const lines = block.trimEnd().split('\n');
    expect(closingFenceLines(block.trimEnd())).toEqual([lines.length - 1]);
    expect(lines[0]).toBe('``````text');
    expect(lines.slice(1, -1).join('\n')).toBe(hostile);
  });

  it('keeps the info string to safe characters', () => {
    expect(fence('x', 'js`\n<b>')).toBe('```jsb\nx\n```\n');
  });

  it('defuses HTML and cleans the text inside', () => {
    const block = fence(`<script>alert(1)</script>${ESC}[31m\0`);
    expect(block).not.toContain('<script>');
    expect(block).not.toContain('</script>');
    expect(block).toContain('\uFFFD');
    expect(block).not.toContain(ESC);
  });
});

describe('inlineCode', () => {
  it('wraps text in delimiters longer than any backtick run inside', () => {
    expect(inlineCode('npm ci')).toBe('`npm ci`');
    expect(inlineCode('a `b` c')).toBe('``a `b` c``');
    expect(inlineCode('`edge`')).toBe('`` `edge` ``');
    expect(inlineCode('two\nlines')).toBe('`two lines`');
  });
});

describe('escapeInline', () => {
  it('escapes HTML so no tag or comment survives', () => {
    const out = escapeInline('<script>alert(1)</script> <!-- grader:report --> &amp;');
    expect(out).toBe('&lt;script&gt;alert(1)&lt;/script&gt; &lt;!-- grader:report --&gt; &amp;amp;');
  });

  it('escapes markdown that could change the layout', () => {
    expect(escapeInline('a | b *c* _d_ `e` [f](g) ~h~ \\')).toBe('a \\| b \\*c\\* \\_d\\_ \\`e\\` \\[f\\](g) \\~h\\~ \\\\');
    expect(escapeInline('# not a heading')).toBe('\\# not a heading');
    expect(escapeInline('- not a list')).toBe('\\- not a list');
    expect(escapeInline('1. not a list')).toBe('1\\. not a list');
  });

  it('puts everything on one line', () => {
    expect(escapeInline('one\ntwo\r\nthree\tfour  ')).toBe('one two three four');
  });

  it('breaks mentions and issue references with a zero-width space', () => {
    expect(escapeInline('ping @teacher and @org/team')).toBe('ping @\u200Bteacher and @\u200Borg/team');
    expect(escapeInline('see #12')).toBe('see \\#\u200B12');
  });

  it('keeps Korean as written', () => {
    expect(escapeInline('도커 미니 프로젝트 (3주차)')).toBe('도커 미니 프로젝트 (3주차)');
  });
});

describe('neutraliseMarker', () => {
  const marker = '<!-- grader:report -->';

  it('breaks every occurrence, in any case', () => {
    const out = neutraliseMarker(`a ${marker} b <!-- GRADER:REPORT -->`, marker);
    expect(out.toLowerCase()).not.toContain(marker);
    expect(out.replaceAll('\u200B', '')).toBe(`a ${marker} b <!-- GRADER:REPORT -->`);
  });

  it('handles overlapping occurrences of a self-similar marker', () => {
    expect(neutraliseMarker('aaab', 'aab')).not.toContain('aab');
  });

  it('refuses markers it cannot break', () => {
    expect(() => neutraliseMarker('x', 'x')).toThrow(RangeError);
  });
});

describe('truncateMiddle', () => {
  it('leaves short text alone', () => {
    expect(truncateMiddle('short', 10)).toBe('short');
  });

  it('keeps the start and end with a note of what was left out, within the limit', () => {
    const text = `START${'x'.repeat(10_000)}END`;
    const out = truncateMiddle(text, 200);
    expect(out.length).toBeLessThanOrEqual(200);
    expect(out.startsWith('START')).toBe(true);
    expect(out.endsWith('END')).toBe(true);
    const omitted = Number(/… ([\d,]+) characters omitted …/.exec(out)![1]!.replaceAll(',', ''));
    const kept = out.replace(/\n… [\d,]+ characters omitted …\n/, '');
    expect(omitted + kept.length).toBe(text.length);
  });

  it('never splits a surrogate pair', () => {
    const out = truncateMiddle('🐳'.repeat(500), 101);
    expect(cleanText(out)).toBe(out);
  });
});

describe('tail and head', () => {
  const log = Array.from({ length: 100 }, (_, i) => `line ${i + 1}`).join('\n');

  it('tail keeps the last lines and says how much went', () => {
    const out = tail(log, 3, 10_000);
    expect(out).toMatch(/^… [\d,]+ characters omitted …\nline 98\nline 99\nline 100$/);
  });

  it('tail also respects the character limit', () => {
    const out = tail('x'.repeat(5000), 10, 100);
    expect(out.length).toBeLessThanOrEqual(100);
    expect(out.startsWith('… 4,9')).toBe(true);
  });

  it('leave text within both limits alone', () => {
    expect(tail('a\nb\n', 5, 100)).toBe('a\nb');
    expect(head('a\nb', 5, 100)).toBe('a\nb');
  });

  it('head keeps the first lines and notes the rest', () => {
    expect(head(log, 2, 10_000)).toMatch(/^line 1\nline 2\n… [\d,]+ characters omitted …$/);
  });
});

describe('workflow log wrapping', () => {
  it('wraps text between stop-commands and the resume token', () => {
    const token = stopCommandsToken();
    const out = wrapForWorkflowLog('::set-output name=x::y\n::error::fake', token);
    expect(out).toBe(`::stop-commands::${token}\n::set-output name=x::y\n::error::fake\n::${token}::\n`);
  });

  it('uses a fresh random token every time', () => {
    const tokens = new Set(Array.from({ length: 20 }, () => stopCommandsToken()));
    expect(tokens.size).toBe(20);
    for (const t of tokens) expect(t).toMatch(/^[0-9a-f]{32}$/);
    const a = wrapForWorkflowLog('x');
    const b = wrapForWorkflowLog('x');
    expect(a).not.toBe(b);
  });

  it('refuses a token the text already contains', () => {
    const token = stopCommandsToken();
    expect(() => wrapForWorkflowLog(`::${token}::`, token)).toThrow();
  });
});

describe('escapeInlineWithCode', () => {
  it('renders backticked text as code and escapes the rest, keeping the spaces between', () => {
    expect(escapeInlineWithCode('use `USER app` near the *end*')).toBe('use `USER app` near the \\*end\\*');
  });

  it('keeps HTML, comment markers and mentions inert inside and outside code spans', () => {
    const out = escapeInlineWithCode('`<!-- grader:report -->` <script> @teacher `@teacher`');
    expect(out).not.toContain('<!--');
    expect(out).not.toContain('<script>');
    expect(out).not.toMatch(/@teacher/);
  });

  it('treats an unpaired backtick as text', () => {
    expect(escapeInlineWithCode('a ` b')).toBe('a \\` b');
  });
});

describe('clip and firstLine', () => {
  it('clips to at most the limit, ending in an ellipsis, without splitting a surrogate pair', () => {
    expect(clip('short', 5)).toBe('short');
    expect(clip('abcdef', 5)).toBe('abcd…');
    const clipped = clip('ab😀cd', 4);
    expect(clipped).toBe('ab…');
    expect(clipped.length).toBeLessThanOrEqual(4);
  });

  it('takes the first line that is not blank, trimmed', () => {
    expect(firstLine('\n  \n  first \nsecond')).toBe('first');
    expect(firstLine('only')).toBe('only');
    expect(firstLine('\n \n')).toBe('\n \n');
  });
});
