/**
 * The stream readers against build streams captured from Docker Engine 20.10.24
 * (test/fixtures/build/streams: `<builder>-<case>.jsonl` next to `<case>.Dockerfile`).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BuildKitProgress } from '../../src/engine/build/build-buildkit-progress.js';
import { ClassicProgress } from '../../src/engine/build/build-classic-progress.js';
import { describeBuildFailure } from '../../src/engine/build/build-failure.js';
import { BuildTranscript } from '../../src/engine/build/build-log.js';
import type { BuildProgress, BuildStreamEvent, BuildSummary } from '../../src/engine/build/build-log.js';

const fixtures = path.join(import.meta.dirname, '../fixtures/build/streams');

function dockerfile(name: string): string {
  return readFileSync(path.join(fixtures, `${name}.Dockerfile`), 'utf8');
}

function replay(builder: 'classic' | 'buildkit', name: string): { summary: BuildSummary; lines: string[] } {
  const lines: string[] = [];
  const transcript = new BuildTranscript((line) => lines.push(line));
  const progress: BuildProgress =
    builder === 'classic' ? new ClassicProgress(transcript) : new BuildKitProgress(transcript);
  const raw = readFileSync(path.join(fixtures, `${builder}-${name}.jsonl`), 'utf8');
  for (const line of raw.split('\n').filter(Boolean)) progress.accept(JSON.parse(line) as BuildStreamEvent);
  return { summary: progress.finish(), lines };
}

describe('ClassicProgress', () => {
  it('reads a successful build: image id, step output, no ANSI', () => {
    const { summary, lines } = replay('classic', 'ok');
    expect(summary.error).toBeUndefined();
    expect(summary.imageId).toBe('sha256:0594ff1c56cceb1540d9d5222d60f78cccbef4ac9073a0394b3e2349f9d14625');
    expect(lines).toContain('Step 2/5 : RUN echo hello && echo err >&2');
    expect(lines).toContain('err');
    expect(lines.join('\n')).not.toContain('\u001b');
  });

  it('names the failing step with its number and keeps only its output', () => {
    const { summary } = replay('classic', 'fail');
    expect(summary).toMatchObject({
      failingStep: 'RUN echo line1 && echo oops >&2 && exit 3',
      stepNumber: 3,
      stepTail: 'line1\noops',
    });
    expect(summary.error).toMatch(/returned a non-zero code: 3/);
    const failure = describeBuildFailure(summary, dockerfile('fail'), 5);
    expect(failure).toMatchObject({ reason: 'failed', line: 3, logTail: 'line1\noops', durationMs: 5 });
    expect(failure.message).toBe(
      "Step \"RUN echo line1 && echo oops >&2 && exit 3\" (Dockerfile line 3) failed: The command '/bin/sh -c echo line1 && echo oops >&2 && exit 3' returned a non-zero code: 3",
    );
  });

  it('reports RUN --mount as needing BuildKit', () => {
    const failure = describeBuildFailure(replay('classic', 'mount').summary, dockerfile('mount'), 1);
    expect(failure).toMatchObject({ reason: 'failed', line: 2 });
    expect(failure.message).toMatch(/--mount option requires BuildKit/);
  });
});

describe('BuildKitProgress', () => {
  it('decodes the trace into plain-progress lines and finds the image id', () => {
    const { summary, lines } = replay('buildkit', 'ok');
    expect(summary.error).toBeUndefined();
    expect(summary.imageId).toBe('sha256:fd147facea49d8702f087a3f8a6731fe9ab1484868426b518872b28e2e9a6771');
    const run = lines.find((l) => l.includes('RUN echo hello'));
    expect(run).toMatch(/^#(\d+) \[2\/3\] RUN echo hello && echo err >&2$/);
    const number = run?.split(' ')[0];
    expect(lines).toContain(`${number} hello`);
    expect(lines).toContain(`${number} err`);
    expect(lines.some((l) => l.startsWith(`${number} DONE `))).toBe(true);
  });

  it('names the failing vertex, its error and its output', () => {
    const { summary, lines } = replay('buildkit', 'fail');
    expect(lines.some((l) => /^#\d+ CACHED$/.test(l))).toBe(true);
    expect(summary).toMatchObject({
      failingStep: '[3/4] RUN echo line1 && echo oops >&2 && exit 3',
      stepError: 'executor failed running [/bin/sh -c echo line1 && echo oops >&2 && exit 3]: exit code: 3',
    });
    expect(summary.stepTail.split('\n').sort()).toEqual(['line1', 'oops']);
    const failure = describeBuildFailure(summary, dockerfile('fail'), 5);
    expect(failure).toMatchObject({ reason: 'failed', line: 3, failingStep: '[3/4] RUN echo line1 && echo oops >&2 && exit 3' });
    expect(failure.message).toMatch(/^Step "\[3\/4\] RUN echo line1 .*" \(Dockerfile line 3\) failed: executor failed running/);
  });

  it('reads cache mounts and COPY --chmod output', () => {
    expect(replay('buildkit', 'mount').summary.error).toBeUndefined();
    const { summary, lines } = replay('buildkit', 'chmod');
    expect(summary.error).toBeUndefined();
    expect(lines.some((l) => /-rwxr-xr-x .*\/s\.sh$/.test(l))).toBe(true);
  });

  it('turns an unreachable # syntax= frontend into frontend-unavailable', () => {
    const failure = describeBuildFailure(replay('buildkit', 'syntax').summary, dockerfile('syntax'), 1);
    expect(failure.reason).toBe('frontend-unavailable');
    expect(failure.message).toContain('"# syntax=docker/dockerfile:1"');
    expect(failure.message).toContain("the grader's machine could not fetch it");
    expect(failure.message).toContain('no such host');
    expect(failure.message).toContain('Removing the "# syntax=" line usually works');
  });

  it('reports a parse error with its line and the builder message', () => {
    const failure = describeBuildFailure(replay('buildkit', 'parse').summary, dockerfile('parse'), 1);
    expect(failure).toMatchObject({ reason: 'failed', line: 3, message: 'Dockerfile line 3: unknown instruction: FOO' });
  });

  it('skips a trace it cannot decode instead of failing the build', () => {
    const transcript = new BuildTranscript();
    const progress = new BuildKitProgress(transcript);
    progress.accept({ id: 'moby.buildkit.trace', aux: Buffer.from([0x0a, 0xff, 0xff, 0xff]).toString('base64') });
    progress.accept({ id: 'moby.image.id', aux: { ID: 'sha256:abc' } });
    expect(progress.finish()).toMatchObject({ imageId: 'sha256:abc', error: undefined });
  });
});
