import { describe, expect, it } from 'vitest';
import { LOCALES } from '../../src/basics/i18n/catalogue.js';
import type { CheckResult, GradeResult } from '../../src/basics/results.js';
import { DEFAULT_MAX_LENGTH, SHORTENED_NOTE, renderMarkdown } from '../../src/report/markdown.js';

const MARKER = '<!-- grader:report -->';

function check(overrides: Partial<CheckResult> = {}): CheckResult {
  return {
    id: 'ping',
    name: 'GET /ping',
    kind: 'http',
    status: 'failed',
    points: 0,
    max_points: 10,
    message: 'expected status 200, got 500',
    duration_ms: 12,
    ...overrides,
  };
}

function result(checks: CheckResult[], overrides: Partial<GradeResult> = {}): GradeResult {
  return {
    rubric: { title: 'Homework', source: 'rubrics/web.yml' },
    locale: 'en',
    submission: { source: 'https://github.com/student/hw', commit: 'abcdef1234567890' },
    status: 'graded',
    score: 0,
    max_score: 10,
    percent: 0,
    pass_threshold: 60,
    passed: false,
    duration_ms: 1000,
    checks,
    ...overrides,
  };
}

interface CodeBlock {
  content: string;
  closed: boolean;
}

/** Code blocks as a CommonMark parser sees them (top-level backtick fences, which is all the renderer writes). */
function codeBlocks(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  let open: { fence: number; lines: string[] } | undefined;
  for (const line of markdown.split('\n')) {
    if (open) {
      const close = /^ {0,3}(`+)[ \t]*$/.exec(line);
      if (close && close[1]!.length >= open.fence) {
        blocks.push({ content: open.lines.join('\n'), closed: true });
        open = undefined;
      } else {
        open.lines.push(line);
      }
      continue;
    }
    const start = /^ {0,3}(`{3,})[^`]*$/.exec(line);
    if (start) open = { fence: start[1]!.length, lines: [] };
  }
  if (open) blocks.push({ content: open.lines.join('\n'), closed: false });
  return blocks;
}

/** The markdown with its code blocks taken out: what GitHub renders as markdown and HTML. */
function outsideCode(markdown: string): string {
  let text = markdown;
  for (const block of codeBlocks(markdown)) text = text.replace(block.content, '');
  return text;
}

function occurrences(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}

describe.each(LOCALES)('renderMarkdown against hostile student text (%s)', (locale) => {
  const inLocale = (checks: CheckResult[], overrides: Partial<GradeResult> = {}) => result(checks, { ...overrides, locale });

  it('keeps output with ``` and ```` runs inside its fence, which closes only at its end', () => {
    const output = 'ok\n```\n# escaped heading?\n````\n<b>bold?</b>\n`````\nSENTINEL\n';
    const md = renderMarkdown(inLocale([check({ output })]));
    const blocks = codeBlocks(md);
    expect(blocks.every((b) => b.closed)).toBe(true);
    const block = blocks.find((b) => b.content.includes('SENTINEL'))!;
    expect(block.content.replaceAll('\u200B', '')).toBe(output.trimEnd());
    expect(outsideCode(md)).not.toContain('SENTINEL');
    expect(outsideCode(md)).not.toContain('# escaped heading?');
  });

  it('never lets <script> or the marker appear raw, wherever the student puts them', () => {
    const evil = `<script>alert(1)</script> ${MARKER} <!-- GRADER:REPORT -->`;
    const md = renderMarkdown(
      inLocale(
        [
          check({
            message: evil,
            expected: evil,
            actual: `${evil}\nsecond line`,
            output: evil,
            location: { path: `${evil}/Dockerfile`, line: 3 },
          }),
          check({ id: 's', status: 'skipped', message: evil }),
        ],
        {
          submission: { source: evil, commit: evil, ref: evil },
          build: { ok: false, duration_ms: 5, failing_step: evil, log_tail: evil },
        },
      ),
      { marker: MARKER },
    );
    expect(md).not.toContain('<script');
    expect(md).not.toContain('</script');
    expect(md.toLowerCase().split(MARKER).length - 1).toBe(1);
    expect(md.startsWith(`${MARKER}\n`)).toBe(true);
  });

  it('shows the marker only once even when the instructor text holds it', () => {
    const md = renderMarkdown(inLocale([check({ name: MARKER, feedback: MARKER })], { rubric: { title: MARKER, source: MARKER } }), {
      marker: MARKER,
    });
    expect(occurrences(md, MARKER)).toBe(1);
  });

  it('keeps a marker that is not HTML unique too', () => {
    const marker = 'grader-report-7f3a';
    const md = renderMarkdown(inLocale([check({ message: `x ${marker}`, output: `${marker}\n${marker.toUpperCase()}`, actual: marker })]), {
      marker,
    });
    expect(md.toLowerCase().split(marker).length - 1).toBe(1);
    expect(md.startsWith(`${marker}\n`)).toBe(true);
  });

  it('breaks @mentions everywhere', () => {
    const md = renderMarkdown(
      inLocale([check({ message: 'ping @teacher', output: 'cc @teacher', expected: '@teacher', actual: '@teacher' })]),
    );
    expect(md).toContain('@\u200Bteacher');
    expect(md).not.toMatch(/@teacher/);
  });

  it('removes ANSI escapes and shows NUL as a replacement character', () => {
    const md = renderMarkdown(inLocale([check({ message: '\x1b[31mred\x1b[0m\0', output: '\x1b]0;title\x07\x1b[2Jout\0put' })]));
    expect(md).not.toContain('\x1b');
    expect(md).not.toContain('\0');
    expect(md).toContain('red\uFFFD');
    expect(md).toContain('out\uFFFDput');
  });

  it('escapes instructor text for markdown but shows it as written', () => {
    const md = renderMarkdown(inLocale([check({ name: 'a | b <i>도커</i>', feedback: '*중요* `CMD`' })]));
    expect(md).toContain('| a \\| b &lt;i&gt;도커&lt;/i&gt; |');
    expect(md).toContain('💡 \\*중요\\* `CMD`');
  });
});

describe('renderMarkdown within the size limit', () => {
  it('fits a 10 MB output under the default limit, says so, and keeps every fence closed', () => {
    const huge = `${'A'.repeat(5_000_000)}\n${'```'.repeat(10)}\n${'B'.repeat(5_000_000)}`;
    const md = renderMarkdown(result([check({ output: huge })]), { marker: MARKER });
    expect(md.length).toBeLessThanOrEqual(DEFAULT_MAX_LENGTH);
    expect(md).toContain(SHORTENED_NOTE);
    expect(md).toMatch(/characters omitted/);
    expect(codeBlocks(md).every((b) => b.closed)).toBe(true);
    expect(occurrences(md, MARKER)).toBe(1);
  });

  it('shortens the longest outputs first and leaves short ones whole', () => {
    const short = 'SHORT-OUTPUT-KEPT';
    const checks = [
      check({ id: 'a', output: 'x'.repeat(8_000) }),
      check({ id: 'b', output: short }),
      check({ id: 'c', output: 'y'.repeat(8_000) }),
    ];
    const md = renderMarkdown(result(checks), { maxLength: 10_000 });
    expect(md.length).toBeLessThanOrEqual(10_000);
    expect(md).toContain(short);
    expect(md).toContain(SHORTENED_NOTE);
    const sizes = codeBlocks(md).map((b) => b.content.length);
    expect(Math.max(...sizes)).toBeGreaterThan(500);
  });

  it('drops outputs when shortening is not enough', () => {
    const checks = Array.from({ length: 40 }, (_, i) => check({ id: `c${i}`, output: 'z'.repeat(2_000) }));
    const md = renderMarkdown(result(checks), { maxLength: 8_000 });
    expect(md.length).toBeLessThanOrEqual(8_000);
    expect(md).toContain("left out to fit GitHub's size limit");
    expect(md).toContain(SHORTENED_NOTE);
    expect(codeBlocks(md).every((b) => b.closed)).toBe(true);
  });

  it('still fits when even the check list is too long', () => {
    const checks = Array.from({ length: 500 }, (_, i) =>
      check({ id: `c${i}`, name: `check ${i} ${'n'.repeat(100)}`, message: 'm'.repeat(900) }),
    );
    const md = renderMarkdown(result(checks), { marker: MARKER, maxLength: 20_000 });
    expect(md.length).toBeLessThanOrEqual(20_000);
    expect(md.startsWith(MARKER)).toBe(true);
    expect(md).toContain('size limit');
  });
});

describe('renderMarkdown details', () => {
  it('never shows a score for an ungradable run', () => {
    const md = renderMarkdown(result([], { status: 'ungradable', score: null, percent: null, reason: 'engine down' }));
    expect(md).toContain('ungradable');
    expect(md).toContain('engine down');
    expect(md).not.toMatch(/0 \/ 10/);
  });

  it('shows only name, status and points of a hidden check, even if details leaked into the result', () => {
    const md = renderMarkdown(
      result([
        check({
          hidden: true,
          name: 'Secret test',
          expected: 'SECRET-EXPECTED',
          actual: 'SECRET-ACTUAL',
          output: 'SECRET-OUTPUT',
          feedback: 'SECRET-HINT',
          location: { path: 'secret.txt', line: 1 },
        }),
      ]),
    );
    expect(md).toContain('Secret test');
    expect(md).toContain('0/10');
    expect(md).not.toMatch(/SECRET|secret\.txt/);
  });

  it('lists checks in rubric order with their points', () => {
    const md = renderMarkdown(
      result([check({ id: 'z', name: 'Zeta', status: 'passed', points: 3, max_points: 5 }), check({ id: 'a', name: 'Alpha' })]),
    );
    expect(md.indexOf('| ✅ | Zeta | 3/5 |')).toBeGreaterThan(0);
    expect(md.indexOf('| ✅ | Zeta | 3/5 |')).toBeLessThan(md.indexOf('| ❌ | Alpha | 0/10 |'));
  });
});
