/**
 * Hostile submissions that go after the grader through what they print: an endless `yes`
 * flood, random bytes and control characters, and a page crafted to break out of the
 * markdown report. Output must be capped while the grader's memory stays flat, every
 * report must stay readable and safe, and nothing may be left behind.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { REPORT_MARKER } from '../../src/action/comment.js';
import type { GradeResult } from '../../src/basics/results.js';
import type { ContainerEngine } from '../../src/engine/engine.js';
import { toJson } from '../../src/report/json.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderTerminal } from '../../src/report/terminal.js';
import { engine as connectEngine, expectNothingLeft } from '../helpers/docker.js';
import { SMALL_LIMITS, check, fixture, gradeHostile, outsideFences, utf8Bytes } from '../helpers/hostile.js';

let engine: ContainerEngine;

beforeAll(async () => {
  engine = await connectEngine();
});

/** At most 4 KiB of student output is shown per check, plus the grader's own short "cut" note. */
const SHOWN_MAX_BYTES = 4096 + 100;
const SLACK_MS = 15_000;
const MiB = 1024 ** 2;

/** Peak growth of this process's RSS while `work` runs, sampled every 50 ms. */
async function peakRssGrowth<T>(work: () => Promise<T>): Promise<{ value: T; growthBytes: number }> {
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  try {
    const value = await work();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { value, growthBytes: peak - baseline };
  } finally {
    clearInterval(timer);
  }
}

// eslint-disable-next-line no-control-regex -- looking for control characters is the point
const RAW_CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function everyReport(result: GradeResult): { json: string; markdown: string; terminal: string } {
  return {
    json: toJson(result),
    markdown: renderMarkdown(result, { marker: REPORT_MARKER }),
    terminal: renderTerminal(result, { color: false }),
  };
}

describe('hostile submissions: output', () => {
  it("caps an endless `yes` flood from a one-shot run: time limit, at most 4 KiB shown, the grader's memory flat", async () => {
    const { value: run, growthBytes } = await peakRssGrowth(() =>
      gradeHostile(
        engine,
        fixture('yes-flood'),
        `
rubric: 1
title: yes flood
${SMALL_LIMITS}
checks:
  - { id: flood, name: runs, timeout: 3s, run: { args: [], stdout: { equals: "y" } } }
`,
      ),
    );
    const { result, runId, wallMs } = run;
    const flood = check(result, 'flood');
    expect(flood.status).toBe('failed');
    expect(flood.message).toMatch(/time limit \(3\.0 s\) exceeded/);
    expect(flood.output).toMatch(/^y\ny\ny\n/);
    expect(utf8Bytes(flood.output!)).toBeLessThanOrEqual(SHOWN_MAX_BYTES);
    expect(flood.output).toMatch(/cut, \d+ bytes in total/);
    expect(growthBytes).toBeLessThan(100 * MiB);
    expect(wallMs).toBeLessThan(3_000 + SLACK_MS);
    const { markdown, json } = everyReport(result);
    expect(markdown.length).toBeLessThan(20_000);
    expect(json.length).toBeLessThan(20_000);
    await expectNothingLeft(runId);
  });

  it('keeps a 50 MB finite flood to the 1 MiB store and says the comparison saw only the start', async () => {
    const { value: run, growthBytes } = await peakRssGrowth(() =>
      gradeHostile(
        engine,
        fixture('yes-flood'),
        `
rubric: 1
title: yes flood
${SMALL_LIMITS}
checks:
  - { id: finite, name: prints 50 MB, timeout: 10s, run: { args: [finite], stdout: { equals: "y" } } }
`,
      ),
    );
    const { result, runId } = run;
    const finite = check(result, 'finite');
    expect(finite.status).toBe('failed');
    expect(finite.message).toMatch(/stdout .*only the first \d+ characters were kept/);
    expect(finite.message).toMatch(/output limit: it printed 50(\.0)? MB/);
    expect(finite.message).not.toMatch(/time limit/);
    expect(utf8Bytes(finite.output!)).toBeLessThanOrEqual(SHOWN_MAX_BYTES);
    expect(growthBytes).toBeLessThan(100 * MiB);
    await expectNothingLeft(runId);
  });

  it('serves a service that floods its log, and shows at most 4 KiB of that log', async () => {
    const { value: run, growthBytes } = await peakRssGrowth(() =>
      gradeHostile(
        engine,
        fixture('yes-flood'),
        `
rubric: 1
title: flooding service
${SMALL_LIMITS}
service: { command: [serve], ready: { timeout: 5s } }
checks:
  - { id: page, name: answers, http: { path: /, body: ok } }
  - { id: logs, name: logs a greeting, timeout: 3s, logs: never printed }
`,
      ),
    );
    const { result, runId, wallMs } = run;
    expect(check(result, 'page').status).toBe('passed');
    const logs = check(result, 'logs');
    expect(logs.status).toBe('failed');
    expect(logs.output).toContain('flooding the log');
    expect(utf8Bytes(logs.output ?? '')).toBeLessThanOrEqual(SHOWN_MAX_BYTES);
    expect(growthBytes).toBeLessThan(100 * MiB);
    expect(wallMs).toBeLessThan(5_000 + 3_000 + SLACK_MS);
    await expectNothingLeft(runId);
  });

  it('shows random bytes, NUL, invalid UTF-8 and escapes as replacement characters in every report, without crashing', async () => {
    const { result, runId } = await gradeHostile(
      engine,
      fixture('binary-output'),
      `
rubric: 1
title: binary output
${SMALL_LIMITS}
checks:
  - { id: bin, name: prints text, timeout: 5s, run: { args: [], stdout: { equals: "begin" } } }
`,
    );
    const bin = check(result, 'bin');
    expect(bin.status).toBe('failed');
    expect(bin.message).toMatch(/exit code 3 \(expected 0\)/);
    expect(bin.output).toContain('begin');

    const { json, markdown, terminal } = everyReport(result);
    const parsed = JSON.parse(json) as { checks: { output: string }[] };
    const shown = parsed.checks[0]!.output;
    for (const text of [shown, markdown]) {
      expect(text).toContain('\uFFFD');
      expect(text).toContain('bad-utf8');
      expect(text).toContain('RED');
    }
    for (const text of [shown, markdown, terminal]) {
      expect(text).not.toMatch(RAW_CONTROL);
      expect(text).not.toMatch(LONE_SURROGATE);
      expect(text).not.toContain('\u202e'); // bidi override
    }
    expect(shown).toContain('\uFFFDNUL\uFFFD');
    expect(shown).toContain('stderr-end');
    // The markdown still has every fence it opens closed.
    const { fenced } = outsideFences(markdown);
    expect(fenced.some((block) => block.includes('bad-utf8'))).toBe(true);
    await expectNothingLeft(runId);
  });

  it('keeps a page and log lines crafted to break out of the report inside their code blocks', async () => {
    const { result, runId } = await gradeHostile(
      engine,
      fixture('markdown-breakout'),
      `
rubric: 1
title: breakout
${SMALL_LIMITS}
service: { ready: { timeout: 5s } }
checks:
  - { id: page, name: home page, http: { path: /, body: "the expected page" } }
  - { id: logs, name: logs, logs: never logged }
`,
    );
    expect(check(result, 'page').status).toBe('failed');
    expect(check(result, 'page').output).toContain('100/100');
    expect(check(result, 'logs').status).toBe('failed');
    expect(check(result, 'logs').output).toContain('<script>');

    const markdown = renderMarkdown(result, { marker: REPORT_MARKER });
    // The marker: first line, exactly once, in any case.
    expect(markdown.startsWith(`${REPORT_MARKER}\n`)).toBe(true);
    expect(markdown.match(/<!--\s*grader:report\s*-->/gi)).toHaveLength(1);

    const { outside, fenced } = outsideFences(markdown.slice(REPORT_MARKER.length + 1));
    // The hostile text is shown, as data, in fenced blocks…
    expect(fenced.filter((block) => block.includes('Everything works')).length).toBeGreaterThanOrEqual(2);
    // …and nothing of it reaches the markdown around them.
    expect(outside).not.toContain('Everything works');
    expect(outside).not.toContain('100/100');
    expect(outside).not.toMatch(/<script|<img|<!--|javascript:/i);
    expect(outside).not.toMatch(/@octocat|@github/);
    expect(outside).not.toMatch(/^#+ Score/m);
    // HTML blocks the report opens itself are balanced: the page's </details> closed none of them.
    expect((outside.match(/<details>/g) ?? []).length).toBe((outside.match(/<\/details>/g) ?? []).length);
    for (const block of fenced) {
      expect(block).not.toMatch(/<script|<!--|@octocat/i);
    }
    // Same in the JSON and terminal forms: data, whole, never a second marker.
    const { json, terminal } = everyReport(result);
    expect(JSON.parse(json)).toMatchObject({ status: 'graded', score: 0 });
    // In the terminal the student's lines sit behind a gutter; only the grader's own score line starts a line.
    expect(terminal.match(/^Score .*$/gm)).toEqual([expect.stringMatching(/^Score 0\/2 /)]);
    for (const line of terminal.split('\n').filter((l) => l.includes('Everything works'))) {
      expect(line).toMatch(/^\s+(│|actual: +│)/);
    }
    await expectNothingLeft(runId);
  });
});
