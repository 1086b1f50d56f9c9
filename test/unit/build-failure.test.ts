/**
 * A failed build, from what the engine reports to what the student reads: the engine
 * (engine/build/build-failure.ts) gives facts only, the build check writes the sentence.
 * The error texts are the ones Docker's builders really send.
 */
import { describe, expect, it } from 'vitest';
import { engineLostContext, failedBuild, refusedBuild } from '../../src/engine/build/build-failure.js';
import type { BuildStreamSummary } from '../../src/engine/build/build-log.js';
import type { BuildOutcome } from '../../src/engine/engine.js';
import { parseDockerfile } from '../../src/probes/dockerfile/model.js';
import { lineOfStep } from '../../src/probes/dockerfile/step-line.js';
import { buildProbe } from '../../src/probes/kinds/build.js';
import type { BuildSpec } from '../../src/rubric/model.js';
import { FakeEngine, check, fakeContext } from '../helpers/fake-engine.js';

const dockerfile = [
  '# syntax=docker/dockerfile:1.7', // 1
  'FROM busybox:1.35 AS build', // 2
  'run echo a \\', // 3
  '  # a comment inside the continuation', // 4
  '    && echo b', // 5
  'RUN make', // 6
  'FROM busybox:1.35', // 7
  'RUN make', // 8
  'COPY --from=build /out /out', // 9
].join('\n');
const model = parseDockerfile(dockerfile, 'Dockerfile');

function summary(partial: Partial<BuildStreamSummary>): BuildStreamSummary {
  return { stepTail: '', logTail: '', ...partial };
}

/** What the build check says about an outcome, with the Dockerfile parsed as the grader parses it. */
function report(outcome: BuildOutcome, text: string) {
  const ctx = fakeContext(new FakeEngine(), { build: outcome, dockerfile: parseDockerfile(text, 'Dockerfile') });
  return buildProbe.run(check<BuildSpec>({ kind: 'build' }), ctx);
}

function count(text: string, part: string): number {
  return text.split(part).length - 1;
}

describe('lineOfStep', () => {
  it('matches continued instructions whatever their spacing or keyword case', () => {
    expect(lineOfStep(model, 'RUN echo a && echo b')).toBe(3);
    expect(lineOfStep(model, '[build 2/3] RUN echo a     && echo b')).toBe(3);
  });

  it('uses the classic step number to tell identical instructions apart', () => {
    expect(lineOfStep(model, 'RUN make', 5)).toBe(8);
    expect(lineOfStep(model, 'RUN make', 3)).toBe(6);
    expect(lineOfStep(model, 'RUN make')).toBe(6);
  });

  it('finds instructions BuildKit rewrote, when only one can match', () => {
    expect(lineOfStep(parseDockerfile('FROM busybox:1.35\nRUN x\n', 'Dockerfile'), '[1/2] FROM docker.io/library/busybox:1.35')).toBe(1);
    expect(lineOfStep(model, '[stage-1 1/3] FROM docker.io/library/busybox:1.35')).toBeUndefined();
    expect(lineOfStep(model, 'HEALTHCHECK CMD true')).toBeUndefined();
  });
});

describe('the engine reports facts, not sentences', () => {
  it('gives the failing step and the builder error without BuildKit wrapping, and leaves the line to the caller', () => {
    const failure = failedBuild(
      summary({
        error: 'failed to solve: process "/bin/sh -c exit 3" did not complete successfully: exit code: 3',
        stepError: 'process "/bin/sh -c exit 3" did not complete successfully: exit code: 3',
        failingStep: '[2/2]   RUN exit 3',
        stepTail: 'the step said this',
        logTail: 'the whole log',
      }),
      undefined,
      4,
    );
    expect(failure).toEqual({
      ok: false,
      reason: 'failed',
      error: 'process "/bin/sh -c exit 3" did not complete successfully: exit code: 3',
      failingStep: '[2/2] RUN exit 3',
      logTail: 'the step said this',
      durationMs: 4,
    });
  });

  it('reads the line of a parse error out of a daemon refusal (classic builder: HTTP 400)', () => {
    const failure = refusedBuild('(HTTP code 400) unexpected - dockerfile parse error line 3: unknown instruction: FOO ', undefined, '', 7);
    expect(failure).toEqual({ ok: false, reason: 'failed', error: 'unknown instruction: FOO', line: 3, logTail: '', durationMs: 7 });
  });

  it('tells a frontend fetch failure apart, naming the frontend', () => {
    const failure = failedBuild(
      summary({
        error:
          'failed to solve: docker/dockerfile:1: failed to resolve source metadata for docker.io/docker/dockerfile:1: failed to do request: dial tcp: lookup registry-1.docker.io: no such host',
      }),
      'docker/dockerfile:1',
      1,
    );
    expect(failure).toMatchObject({ reason: 'frontend-unavailable', frontend: 'docker/dockerfile:1' });
    expect(failure).not.toHaveProperty('message');
  });

  it('does not blame the frontend for an ordinary failure in a file that has one', () => {
    const failure = failedBuild(
      summary({
        error: 'process "/bin/sh -c exit 3" did not complete successfully: exit code: 3',
        stepError: 'process "/bin/sh -c exit 3" did not complete successfully: exit code: 3',
        failingStep: '[2/2] RUN exit 3',
      }),
      'docker/dockerfile:1',
      1,
    );
    expect(failure).toMatchObject({ reason: 'failed', failingStep: '[2/2] RUN exit 3' });
  });
});

describe('the build check words a failed step once', () => {
  const text = 'FROM busybox:1.35\nCOPY . /app\nRUN exit 3\n';

  it.each([
    {
      builder: 'BuildKit',
      sent: summary({
        error: 'failed to solve: process "/bin/sh -c exit 3" did not complete successfully: exit code: 3',
        stepError: 'process "/bin/sh -c exit 3" did not complete successfully: exit code: 3',
        failingStep: '[3/3] RUN exit 3',
      }),
      message: '[3/3] RUN exit 3 (line 3) failed: process "/bin/sh -c exit 3" did not complete successfully: exit code: 3',
    },
    {
      builder: 'BuildKit of Docker 20.10',
      sent: summary({
        error: 'failed to solve: executor failed running [/bin/sh -c exit 3]: exit code: 3',
        stepError: 'executor failed running [/bin/sh -c exit 3]: exit code: 3',
        failingStep: '[3/3] RUN exit 3',
      }),
      message: '[3/3] RUN exit 3 (line 3) failed: executor failed running [/bin/sh -c exit 3]: exit code: 3',
    },
    {
      builder: 'classic',
      sent: summary({ error: "The command '/bin/sh -c exit 3' returned a non-zero code: 3", failingStep: 'RUN exit 3', stepNumber: 3 }),
      message: "RUN exit 3 (line 3) failed: The command '/bin/sh -c exit 3' returned a non-zero code: 3",
    },
  ])('$builder', async ({ sent, message }) => {
    const outcome = await report(failedBuild(sent, undefined, 1), text);
    expect(outcome).toMatchObject({ status: 'failed', message, locations: [{ path: 'Dockerfile', line: 3 }] });
    expect(count(outcome.message, 'RUN exit 3')).toBe(1);
    expect(count(outcome.message, 'line 3')).toBe(1);
    expect(outcome.message).not.toMatch(/Step|Dockerfile line|failed to solve/);
  });

  it('words a parse error once, with its line', async () => {
    const outcome = await report(
      refusedBuild('failed to solve: dockerfile parse error line 3: unknown instruction: FOO', undefined, '', 1),
      'FROM x\nRUN y\nFOO bar\n',
    );
    expect(outcome).toMatchObject({ message: 'Dockerfile line 3: unknown instruction: FOO', locations: [{ path: 'Dockerfile', line: 3 }] });
  });

  it('words an unreachable # syntax= frontend once, pointing at the directive', async () => {
    const text = '# syntax=docker/dockerfile:1\nFROM x\n';
    const error = 'failed to solve: docker/dockerfile:1: failed to resolve source metadata for docker.io/docker/dockerfile:1: no such host';
    const outcome = await report(refusedBuild(error, 'docker/dockerfile:1', '', 1), text);
    expect(outcome.message).toMatch(/^the Dockerfile starts with "# syntax=docker\/dockerfile:1", which makes the builder fetch/);
    expect(count(outcome.message, 'could not fetch')).toBe(1);
    expect(count(outcome.message, 'no such host')).toBe(1);
    expect(outcome.locations).toEqual([{ path: 'Dockerfile', line: 1 }]);
  });
});

describe('engineLostContext', () => {
  const lost = 'Get "http://build-context-5xwhsikve2a0pmc6egjlxe31q": context not found';

  it("tells the engine losing the uploaded context (a prune raced the build) from the submission's failures", () => {
    const racing = summary({
      error: `failed to load remote build context: ${lost}`,
      failingStep: '[internal] load remote build context',
      stepError: lost,
    });
    expect(engineLostContext(racing)).toBe(true);
    expect(engineLostContext(summary({ error: 'exit code: 1', failingStep: '[2/3] RUN make', stepError: 'exit code: 1' }))).toBe(false);
  });

  it("is not fooled by a step that only says so: no Dockerfile instruction is named like the engine's own step", () => {
    const step = `[2/3] RUN echo "[internal] load remote build context failed: ${lost}"`;
    expect(engineLostContext(summary({ error: lost, failingStep: step, stepError: lost }))).toBe(false);
    expect(engineLostContext(summary({ error: lost, failingStep: '[internal] load remote build context ', stepError: lost }))).toBe(false);
  });
});
