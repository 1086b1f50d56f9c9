import { describe, expect, it } from 'vitest';
import { annotationsFor } from '../../src/action/check-run.js';
import type { CheckResult, GradeResult } from '../../src/basics/results.js';
import { fromOutcome } from '../../src/core/check-results.js';
import { partialPoints, roundPoints, totalScore } from '../../src/core/score.js';
import type { ProbeOutcome } from '../../src/probes/probe.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderTerminal } from '../../src/report/terminal.js';
import type { Check, DockerfileSpec } from '../../src/rubric/model.js';

const NOW = new Date('2025-01-01T00:00:00Z');

function rulesCheck(points: number, extra: Partial<Check<DockerfileSpec>> = {}): Check<DockerfileSpec> {
  return {
    id: 'practices',
    name: 'Dockerfile best practices',
    points,
    required: false,
    visibility: 'visible',
    spec: { kind: 'dockerfile', rules: ['pinned-base', 'no-add', 'exec-form', 'healthcheck', 'expose'] },
    ...extra,
  };
}

function failedOutcome(passed: number, of: number): ProbeOutcome {
  return {
    status: 'failed',
    message: '2 of 5 rules fail: pinned-base (line 1), no-add (line 4)',
    locations: [
      { path: 'Dockerfile', line: 1 },
      { path: 'Dockerfile', line: 4 },
    ],
    share: { passed, of },
  };
}

function scored(points: number, passed: number, of: number): number {
  return fromOutcome(rulesCheck(points), failedOutcome(passed, of), 5, NOW).points;
}

describe('partial credit', () => {
  it('earns points × passed / parts, to two decimals, half up', () => {
    expect(scored(5, 3, 5)).toBe(3);
    expect(scored(10, 1, 3)).toBe(3.33);
    expect(scored(10, 2, 3)).toBe(6.67);
    expect(scored(2.5, 1, 2)).toBe(1.25);
    expect(roundPoints(1.005)).toBe(1.01);
    expect(roundPoints(0.125)).toBe(0.13);
  });

  it('never shows full points while a part failed, nor 0 while one passed', () => {
    expect(partialPoints(1, 199, 200)).toBe(0.99);
    expect(partialPoints(1, 1, 300)).toBe(0.01);
    expect(partialPoints(5, 0, 5)).toBe(0);
    expect(partialPoints(0, 2, 5)).toBe(0);
    expect(partialPoints(5, 5, 5)).toBe(5);
  });

  it('gives a failed check without parts nothing, and an error nothing whatever it says', () => {
    expect(fromOutcome(rulesCheck(5), { status: 'failed', message: 'no' }, 1, NOW).points).toBe(0);
    expect(fromOutcome(rulesCheck(5), { status: 'error', message: 'x', share: { passed: 4, of: 5 } }, 1, NOW).points).toBe(0);
    expect(fromOutcome(rulesCheck(5), { status: 'passed', message: 'ok', share: { passed: 5, of: 5 } }, 1, NOW).points).toBe(5);
  });

  it('keeps the points of a hidden check, only its details are concealed', () => {
    const result = fromOutcome(rulesCheck(5, { visibility: 'hidden' }), failedOutcome(3, 5), 1, NOW);
    expect(result).toMatchObject({ status: 'failed', points: 3, hidden: true });
    expect(result.locations).toBeUndefined();
  });

  it('sums partial points to an exact total', () => {
    const thirds = [1, 1, 1].map(() => fromOutcome(rulesCheck(10), failedOutcome(1, 3), 1, NOW));
    // 3.33 × 3 in floating point is 9.989999999999998.
    expect(totalScore(thirds)).toEqual({ score: 9.99, max_score: 30, percent: 33.3 });
  });
});

describe('reports of a partial check', () => {
  const partial = fromOutcome(rulesCheck(5), failedOutcome(3, 5), 5, NOW);
  const zero: CheckResult = { ...fromOutcome(rulesCheck(5, { id: 'z', name: 'Runs as non-root' }), failedOutcome(0, 1), 5, NOW) };
  const full: CheckResult = { ...partial, id: 'f', name: 'Builds', status: 'passed', points: 5, locations: undefined, location: undefined };
  const graded = (locale: 'en' | 'ko' = 'en'): GradeResult => ({
    rubric: { title: 'Homework', source: 'r.yml' },
    locale,
    submission: { source: '.' },
    status: 'graded',
    score: 8,
    max_score: 15,
    percent: 53.3,
    passed: true,
    duration_ms: 10,
    checks: [full, partial, zero],
  });

  it('renders the markdown row and heading as partial, other rows as before', () => {
    const markdown = renderMarkdown(graded());
    expect(markdown).toContain('| 🟡 | Dockerfile best practices | 3/5 (partial) |');
    expect(markdown).toContain('#### 🟡 Dockerfile best practices · 3/5 (partial)');
    expect(markdown).toContain('| ❌ | Runs as non-root | 0/5 |');
    expect(markdown).toContain('| ✅ | Builds | 5/5 |');
    expect(renderMarkdown(graded('ko'))).toContain('| 🟡 | Dockerfile best practices | 3/5점 (부분 점수) |');
  });

  it('marks the terminal row with ◐ and the word, keeping the points column', () => {
    const lines = renderTerminal(graded(), { color: false }).split('\n');
    expect(lines).toContain('◐  3/5  Dockerfile best practices (partial)');
    expect(lines).toContain('✘  0/5  Runs as non-root');
    expect(lines).toContain('✔  5/5  Builds');
    expect(renderTerminal(graded('ko'), { color: false })).toContain('◐  3/5점  Dockerfile best practices (부분 점수)');
  });

  it('annotates every line of a partial check, its title saying the points', () => {
    const annotations = annotationsFor(graded());
    const mine = annotations.filter((a) => a.title?.startsWith('Dockerfile best practices'));
    expect(mine.map((a) => [a.start_line, a.title, a.annotation_level])).toEqual([
      [1, 'Dockerfile best practices · 3/5 (partial)', 'failure'],
      [4, 'Dockerfile best practices · 3/5 (partial)', 'failure'],
    ]);
    expect(annotations.filter((a) => a.title === 'Runs as non-root')).toHaveLength(2);
  });
});
