import { describe, expect, it } from 'vitest';
import type { StudentRow } from '../../src/basics/class-results.js';
import { classDisplay } from '../../src/cli/class-progress.js';

function stream(options: { columns?: number } = {}) {
  let text = '';
  const out = { write: (chunk: string) => ((text += chunk), true), columns: options.columns ?? 120 } as unknown as NodeJS.WriteStream;
  return { out, text: () => text };
}

const graded = (username: string, score: number): StudentRow => ({
  index: 0,
  username,
  status: 'graded',
  result: {
    rubric: { title: 't', source: 's' },
    locale: 'en',
    submission: { source: username },
    status: 'graded',
    score,
    max_score: 10,
    percent: score * 10,
    passed: true,
    duration_ms: 1,
    checks: [],
  },
});

describe('the class progress display', () => {
  it('prints plain numbered lines in CI', () => {
    const { out, text } = stream();
    const display = classDisplay({ live: false, verbose: false, color: false, stream: out });
    display.onProgress({ type: 'plan', total: 2, jobs: 2, runId: 'abc' });
    display.onProgress({ type: 'grading', username: 'kim' });
    display.onProgress({ type: 'finished', row: graded('kim', 7), reused: false, durationMs: 1500 });
    display.onProgress({
      type: 'finished',
      row: { index: 1, username: 'lee', status: 'missing', reason: 'no repository' },
      reused: false,
      durationMs: 3,
    });
    display.close();
    expect(text()).toBe(
      'grading 2 submissions, 2 at a time\n[0/2] grading kim\n[1/2] ✓ kim 7/10 (70%) in 1.5 s\n[2/2] – lee missing: no repository\n',
    );
    expect(text()).not.toContain('\r');
  });

  it('keeps a status line under the finished students at a terminal, with who runs and the time left', () => {
    const { out, text } = stream();
    const display = classDisplay({ live: true, verbose: false, color: false, stream: out });
    display.onProgress({ type: 'plan', total: 4, jobs: 2, runId: 'abc' });
    display.onProgress({ type: 'grading', username: 'kim' });
    display.onProgress({ type: 'grading', username: 'lee' });
    display.onProgress({ type: 'finished', row: graded('kim', 10), reused: false, durationMs: 10_000 });
    display.close();
    const screen = text();
    // The status line is erased before each finished line and drawn again after it.
    expect(screen).toContain('\r\x1b[2K✓ kim 10/10 (100%) in 10.0 s\n');
    const status = screen.split('\n').at(-1)!;
    expect(status).toMatch(/█{5}░{15} 1\/4 · grading lee · about 15\.0 s left/);
    // Closing erases it.
    expect(screen.endsWith('\r\x1b[2K')).toBe(true);
  });

  it('shows a student name as data: escape sequences in a reason are not passed to the terminal', () => {
    const { out, text } = stream();
    const display = classDisplay({ live: false, verbose: false, color: false, stream: out });
    display.onProgress({ type: 'plan', total: 1, jobs: 1, runId: 'abc' });
    display.onProgress({
      type: 'finished',
      row: { index: 0, username: 'x', status: 'ungradable', reason: 'could not clone: \x1b]0;owned\x07\x1b[2J' },
      reused: false,
      durationMs: 1,
    });
    expect(text()).not.toContain('\x1b');
  });
});
