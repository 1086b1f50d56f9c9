import { describe, expect, it } from 'vitest';
import { findStepLine, parseErrorLine, syntaxDirective } from '../../src/engine/build/build-dockerfile.js';
import { describeBuildFailure, refusedBuild } from '../../src/engine/build/build-failure.js';

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

describe('findStepLine', () => {
  it('matches continued instructions whatever their spacing or keyword case', () => {
    expect(findStepLine(dockerfile, 'RUN echo a && echo b')).toBe(3);
    expect(findStepLine(dockerfile, '[build 2/3] RUN echo a     && echo b')).toBe(3);
  });

  it('uses the classic step number to tell identical instructions apart', () => {
    expect(findStepLine(dockerfile, 'RUN make', 5)).toBe(8);
    expect(findStepLine(dockerfile, 'RUN make', 3)).toBe(6);
    expect(findStepLine(dockerfile, 'RUN make')).toBe(6);
  });

  it("finds instructions BuildKit rewrote, when only one can match", () => {
    expect(findStepLine('FROM busybox:1.35\nRUN x\n', '[1/2] FROM docker.io/library/busybox:1.35')).toBe(1);
    expect(findStepLine(dockerfile, '[stage-1 1/3] FROM docker.io/library/busybox:1.35')).toBeUndefined();
    expect(findStepLine(dockerfile, 'HEALTHCHECK CMD true')).toBeUndefined();
  });
});

describe('Dockerfile helpers', () => {
  it('reads the # syntax= directive only where it is a directive', () => {
    expect(syntaxDirective(dockerfile)).toBe('docker/dockerfile:1.7');
    expect(syntaxDirective('FROM x\n# syntax=docker/dockerfile:1\n')).toBeUndefined();
  });

  it('reads parse error lines from both builders', () => {
    expect(parseErrorLine('dockerfile parse error line 3: unknown instruction: FOO')).toBe(3);
    expect(parseErrorLine('dockerfile parse error on line 12: unknown instruction: FOO')).toBe(12);
    expect(parseErrorLine('something else')).toBeUndefined();
  });
});

describe('failure messages', () => {
  it('names a daemon refusal with the line of a parse error (classic builder: HTTP 400)', () => {
    const failure = refusedBuild(
      '(HTTP code 400) unexpected - dockerfile parse error line 3: unknown instruction: FOO ',
      'FROM x\nRUN y\nFOO bar\n',
      '',
      7,
    );
    expect(failure).toMatchObject({ reason: 'failed', line: 3, message: 'Dockerfile line 3: unknown instruction: FOO', durationMs: 7 });
  });

  it('recognises a newer BuildKit frontend fetch failure', () => {
    const failure = describeBuildFailure(
      {
        error:
          'failed to solve: docker/dockerfile:1: failed to resolve source metadata for docker.io/docker/dockerfile:1: failed to do request: dial tcp: lookup registry-1.docker.io: no such host',
        stepTail: '',
        logTail: '',
      },
      '# syntax=docker/dockerfile:1\nFROM x\n',
      1,
    );
    expect(failure.reason).toBe('frontend-unavailable');
  });

  it('does not blame the frontend for an ordinary failure in a file that has one', () => {
    const failure = describeBuildFailure(
      {
        error: 'process "/bin/sh -c exit 3" did not complete successfully: exit code: 3',
        stepError: 'process "/bin/sh -c exit 3" did not complete successfully: exit code: 3',
        failingStep: '[2/2] RUN exit 3',
        stepTail: '',
        logTail: '',
      },
      '# syntax=docker/dockerfile:1\nFROM x\nRUN exit 3\n',
      1,
    );
    expect(failure).toMatchObject({ reason: 'failed', failingStep: '[2/2] RUN exit 3', line: 3 });
    expect(failure.message).toBe('Step "[2/2] RUN exit 3" (Dockerfile line 3) failed: process "/bin/sh -c exit 3" did not complete successfully: exit code: 3');
  });
});
