/**
 * The stream readers against build streams captured from Docker Engine 20.10.24
 * (test/fixtures/build/streams: `<builder>-<case>.jsonl` next to `<case>.Dockerfile`),
 * and what the build check makes of the failures they end in.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BuildKitProgress } from '../../src/engine/build/build-buildkit-progress.js';
import { ClassicProgress } from '../../src/engine/build/build-classic-progress.js';
import { failedBuild } from '../../src/engine/build/build-failure.js';
import { BuildTranscript } from '../../src/engine/build/build-log.js';
import type { BuildProgress, BuildStreamEvent, BuildStreamSummary } from '../../src/engine/build/build-log.js';
import type { BuildFailure } from '../../src/engine/engine.js';
import { parseDockerfile } from '../../src/probes/dockerfile/model.js';
import { describeBuildFailure } from '../../src/probes/kinds/build.js';

const fixtures = path.join(import.meta.dirname, '../fixtures/build/streams');

function dockerfile(name: string): string {
  return readFileSync(path.join(fixtures, `${name}.Dockerfile`), 'utf8');
}

/** The failure a captured stream ends in, as the engine reports it and as the build check words it. */
function failure(builder: 'classic' | 'buildkit', name: string): { facts: BuildFailure; message: string } {
  const model = parseDockerfile(dockerfile(name), 'Dockerfile');
  const facts = failedBuild(replay(builder, name).summary, model.directives.syntax?.value, 5);
  return { facts, message: describeBuildFailure(facts, model) };
}

function count(text: string, part: string): number {
  return text.split(part).length - 1;
}

function replay(builder: 'classic' | 'buildkit', name: string): { summary: BuildStreamSummary; lines: string[] } {
  const lines: string[] = [];
  const transcript = new BuildTranscript((line) => lines.push(line));
  const progress: BuildProgress = builder === 'classic' ? new ClassicProgress(transcript) : new BuildKitProgress(transcript);
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
    const { facts, message } = failure('classic', 'fail');
    expect(facts).toMatchObject({ reason: 'failed', stepNumber: 3, logTail: 'line1\noops', durationMs: 5 });
    expect(message).toBe(
      "RUN echo line1 && echo oops >&2 && exit 3 (line 3) failed: The command '/bin/sh -c echo line1 && echo oops >&2 && exit 3' returned a non-zero code: 3",
    );
  });

  it('reports RUN --mount as needing BuildKit', () => {
    const { facts, message } = failure('classic', 'mount');
    expect(facts).toMatchObject({ reason: 'failed' });
    expect(message).toMatch(/\(line 2\) failed: .*--mount option requires BuildKit/);
    expect(count(message, 'line 2')).toBe(1);
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
    const { facts, message } = failure('buildkit', 'fail');
    expect(facts).toMatchObject({ reason: 'failed', failingStep: '[3/4] RUN echo line1 && echo oops >&2 && exit 3' });
    expect(message).toBe(
      '[3/4] RUN echo line1 && echo oops >&2 && exit 3 (line 3) failed: executor failed running [/bin/sh -c echo line1 && echo oops >&2 && exit 3]: exit code: 3',
    );
    expect(count(message, 'RUN echo line1')).toBe(1);
    expect(count(message, 'line 3')).toBe(1);
  });

  it('reads cache mounts and COPY --chmod output', () => {
    expect(replay('buildkit', 'mount').summary.error).toBeUndefined();
    const { summary, lines } = replay('buildkit', 'chmod');
    expect(summary.error).toBeUndefined();
    expect(lines.some((l) => /-rwxr-xr-x .*\/s\.sh$/.test(l))).toBe(true);
  });

  it('turns an unreachable # syntax= frontend into frontend-unavailable', () => {
    const { facts, message } = failure('buildkit', 'syntax');
    expect(facts).toMatchObject({ reason: 'frontend-unavailable', frontend: 'docker/dockerfile:1' });
    expect(message).toContain('"# syntax=docker/dockerfile:1"');
    expect(count(message, "the grader's machine could not fetch it")).toBe(1);
    expect(count(message, 'no such host')).toBe(1);
    expect(message).toContain('Removing the "# syntax=" line usually works');
  });

  it('reports a parse error with its line and the builder message', () => {
    const { facts, message } = failure('buildkit', 'parse');
    expect(facts).toMatchObject({ reason: 'failed', line: 3, error: 'unknown instruction: FOO' });
    expect(message).toBe('Dockerfile line 3: unknown instruction: FOO');
  });

  it('skips a trace it cannot decode instead of failing the build', () => {
    const transcript = new BuildTranscript();
    const progress = new BuildKitProgress(transcript);
    progress.accept({ id: 'moby.buildkit.trace', aux: Buffer.from([0x0a, 0xff, 0xff, 0xff]).toString('base64') });
    progress.accept({ id: 'moby.image.id', aux: { ID: 'sha256:abc' } });
    expect(progress.finish()).toMatchObject({ imageId: 'sha256:abc', error: undefined });
  });
});
