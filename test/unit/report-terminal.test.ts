import { describe, expect, it } from 'vitest';
import type { Locale } from '../../src/basics/i18n/catalogue.js';
import type { CheckResult, GradeResult } from '../../src/basics/results.js';
import { renderTerminal } from '../../src/report/terminal.js';

function check(overrides: Partial<CheckResult> = {}): CheckResult {
  return {
    id: 'run',
    name: 'The CLI prints its help',
    kind: 'run',
    status: 'failed',
    points: 0,
    max_points: 5,
    message: 'exit code 1, expected 0',
    duration_ms: 40,
    ...overrides,
  };
}

function result(checks: CheckResult[], overrides: Partial<GradeResult> = {}): GradeResult {
  return {
    rubric: { title: 'CLI homework', source: 'rubrics/cli.yml' },
    locale: 'en',
    submission: { source: '.' },
    status: 'graded',
    score: 0,
    max_score: 5,
    percent: 0,
    pass_threshold: 60,
    passed: false,
    duration_ms: 900,
    checks,
    ...overrides,
  };
}

/** Only the grader's own colour codes: reset, bold, dim, red, green, yellow. */
// eslint-disable-next-line no-control-regex -- matching escape sequences is the point
const OWN_SGR = /\x1b\[(?:0|1|2|31|32|33)m/g;

/** What the grader's own lines say in each language, for the tests that student text cannot forge them. */
const OWN_WORDS: Record<Locale, { fake: string; points: string; buildFailed: string; total: string }> = {
  en: {
    fake: 'Score 100/100 — passed',
    points: '0/5',
    buildFailed: 'The image did not build',
    total: 'Score 0/5 (0%) — below the pass mark of 60% (took 900 ms)',
  },
  ko: {
    fake: '점수 100/100점 — 통과',
    points: '0/5점',
    buildFailed: '이미지를 빌드하지 못했습니다',
    total: '점수 0/5점 (0%) — 통과 기준 60% 미달 (소요 시간 900ms)',
  },
};

describe.each(['en', 'ko'] as const)('renderTerminal against hostile student text (%s)', (locale) => {
  const own = OWN_WORDS[locale];
  const inLocale = (checks: CheckResult[], overrides: Partial<GradeResult> = {}) => result(checks, { ...overrides, locale });
  const hostile = check({
    message: '\x1b[2J\x1b[Hcleared your screen',
    actual: '\x1b]0;pwned\x07title',
    output: 'line\x1b[31m red\x1b[0m\0nul\r\nnext\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\',
  });

  it('emits no escape sequence of the student, with colour off', () => {
    const text = renderTerminal(inLocale([hostile]), { color: false });
    expect(text).not.toContain('\x1b');
    expect(text).not.toContain('\0');
    expect(text).not.toContain('\r');
    expect(text).toContain('│ line red\uFFFDnul');
    expect(text).toContain('│ nextlink');
  });

  it('emits only its own colour codes, with colour on', () => {
    const text = renderTerminal(inLocale([hostile], { build: { ok: false, duration_ms: 1, log_tail: 'step\x1b[5mblink\x1b[0m' } }), {
      color: true,
    });
    expect(text).toContain('\x1b[31m✘\x1b[0m');
    expect(text.replace(OWN_SGR, '')).not.toContain('\x1b');
  });

  describe('student text cannot draw a line of its own', () => {
    const FAKE = own.fake;
    /** A new line, a bare CR, CRLF, a Unicode line separator, a blank line: each tries to start a line with the fake score. */
    const forged = `ok\n  ${FAKE}\r  ${FAKE}\r\n${FAKE}\u2028${FAKE}\u2029${FAKE}\n\n${FAKE}\x1b[2K\r${FAKE}`;
    const report = (color: boolean) =>
      renderTerminal(
        inLocale(
          [
            check({ message: `exit code 1, expected 0\n  ${FAKE}\r${FAKE}`, actual: forged, output: forged }),
            check({ id: 'b', name: `a name\n${FAKE}`, status: 'skipped', message: `the service crashed\n${FAKE}` }),
            check({ id: 'c', status: 'error', hidden: true, message: `exec failed\r\n${FAKE}` }),
          ],
          {
            submission: { source: `.\n${FAKE}`, ref: `main\r${FAKE}` },
            build: { ok: false, duration_ms: 1, failing_step: `RUN <<EOF\n${FAKE}`, log_tail: forged },
          },
        ),
        { color },
      ).replace(OWN_SGR, '');

    it.each([false, true])('every line holding student text after its first starts with the gutter (colour %s)', (color) => {
      const lines = report(color).split('\n');
      const unmarked = lines.filter((line) => line.includes(FAKE) && !/^\s*│ /.test(line));
      // One-line fields are flattened: the fake text stays inline, after the grader's own words.
      expect(unmarked).toEqual([`. ${FAKE} (main ${FAKE})`, `○  ${own.points}  a name ${FAKE}`, `✘ ${own.buildFailed}: RUN <<EOF ${FAKE}`]);
      // The fake text did reach the report, behind the gutter: 7 times each in actual, output and
      // build log, twice in the message, once each in the skip reason and the hidden error.
      expect(lines.filter((line) => /^\s*│ +/.test(line) && line.replace(/^\s*│ +/, '') === FAKE)).toHaveLength(25);
      expect(lines.filter((line) => line.startsWith(FAKE.split(' ')[0]!))).toEqual([own.total]);
    });
  });
});

describe('renderTerminal', () => {
  it('shows at most about 20 lines of an output, saying what was left out', () => {
    const output = Array.from({ length: 500 }, (_, i) => `out ${i}`).join('\n');
    const text = renderTerminal(result([check({ output })]), { color: false });
    const excerpt = text.split('\n').filter((l) => l.includes('│'));
    expect(excerpt.length).toBeLessThanOrEqual(21);
    expect(excerpt[0]).toContain('out 0');
    expect(excerpt.at(-1)).toMatch(/characters omitted/);
  });

  it('shows the end of a failed build log', () => {
    const log = Array.from({ length: 100 }, (_, i) => `#${i}`).join('\n');
    const text = renderTerminal(result([], { build: { ok: false, duration_ms: 1, failing_step: 'RUN make', log_tail: log } }), {
      color: false,
    });
    expect(text).toContain('The image did not build: RUN make');
    expect(text).toContain('│ #99');
    expect(text).not.toContain('│ #10\n');
  });

  it('never pads names, so wide Korean names cannot skew columns', () => {
    const text = renderTerminal(
      result([
        check({ name: '도커파일', status: 'passed', points: 5 }),
        check({ id: 'b', name: 'x', status: 'passed', points: 10, max_points: 10 }),
      ]),
      { color: false },
    );
    expect(text).toContain('✔    5/5  도커파일\n');
    expect(text).toContain('✔  10/10  x\n');
  });

  it('says ungradable without a score', () => {
    const text = renderTerminal(result([], { status: 'ungradable', score: null, percent: null, reason: 'engine down\x1b[31m' }), {
      color: false,
    });
    expect(text).toContain('ungradable: engine down');
    expect(text).not.toMatch(/0\/5/);
  });

  it('shows nothing but name, status and points of a hidden check', () => {
    const text = renderTerminal(
      result([
        check({ hidden: true, message: 'did not pass (details are hidden)', feedback: 'HINT', expected: 'SECRET', output: 'SECRET' }),
      ]),
      { color: false },
    );
    expect(text).toContain('The CLI prints its help (hidden)');
    expect(text).not.toMatch(/SECRET|HINT/);
  });
});
