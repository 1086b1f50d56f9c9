/**
 * The built-in mutations as text edits: each makes its one mistake on the Dockerfile, leaves
 * every other line as written, and says why when it does not apply.
 */
import { mkdtemp, readFile, rm, writeFile, mkdir, access } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  addForCopy,
  bigLayer,
  brokenRun,
  builtinMutations,
  changeExpose,
  crashAtStart,
  ignoreSigterm,
  loopbackOnly,
  moveAppPort,
  removeEnv,
  removeUser,
  shellFormStart,
  unpinBase,
} from '../../src/class/calibrate/builtin-mutations.js';
import { applyLineEdits } from '../../src/class/calibrate/dockerfile-edit.js';
import { mutateDockerfile, type DockerfileMutator } from '../../src/class/calibrate/mutation.js';
import { parseDockerfile } from '../../src/probes/dockerfile/model.js';

/** The web example's Dockerfile, the shape most solutions have. */
const WEB = `# comment
FROM busybox:1.35

LABEL maintainer="Kim <kim@example.com>"
ENV GREETING="hello" \\
    PORT=8080
WORKDIR /app
COPY server.sh handle.sh /app/
EXPOSE 8080
USER 65534:65534
ENTRYPOINT ["/app/server.sh"]
CMD ["8080"]
`;

function mutated(mutate: DockerfileMutator, text: string, servicePort?: number): { text: string; change: string } {
  const result = mutateDockerfile(text, 'Dockerfile', mutate, servicePort !== undefined ? { servicePort } : {});
  if ('skip' in result) throw new Error(`expected a change, got: ${result.skip}`);
  return result;
}

function skipped(mutate: DockerfileMutator, text: string): string {
  const result = mutateDockerfile(text, 'Dockerfile', mutate);
  if (!('skip' in result)) throw new Error(`expected a skip, got:\n${result.text}`);
  return result.skip;
}

/** The lines that differ: removed with `-`, added with `+`, in order. */
function diff(before: string, after: string): string[] {
  const a = before.split('\n');
  const b = after.split('\n');
  return [...a.filter((line) => !b.includes(line)).map((l) => `- ${l}`), ...b.filter((line) => !a.includes(line)).map((l) => `+ ${l}`)];
}

describe('line edits', () => {
  it('replace, remove and insert by line, bottom up, keeping CRLF line endings', () => {
    const text = 'a\r\nb\r\nc\r\nd\r\n';
    expect(
      applyLineEdits(text, [
        { line: 2, endLine: 2, replacement: ['B'] },
        { line: 4, endLine: 4, replacement: [] },
        { line: 2, endLine: 1, replacement: ['after a'] },
      ]),
    ).toBe('a\r\nafter a\r\nB\r\nc\r\n');
  });
});

describe('unpinned-base', () => {
  it('drops the tag of the image the final stage is built on', () => {
    const { text, change } = mutated(unpinBase, WEB);
    expect(diff(WEB, text)).toEqual(['- FROM busybox:1.35', '+ FROM busybox']);
    expect(change).toBe('FROM busybox (line 2, was busybox:1.35)');
  });

  it('drops a digest, keeps the stage name, and follows the final stage to its base', () => {
    const df = 'FROM golang:1.22 AS build\nRUN go build\nFROM alpine@sha256:abc AS base\nFROM base\nCOPY --from=build /app /app\n';
    expect(diff(df, mutated(unpinBase, df).text)).toEqual(['- FROM alpine@sha256:abc AS base', '+ FROM alpine AS base']);
  });

  it('writes the image by name where an ARG gave the pinned reference', () => {
    const df = 'ARG BASE=node:20-alpine\nFROM ${BASE}\nCMD ["node"]\n';
    const { text, change } = mutated(unpinBase, df);
    expect(diff(df, text)).toEqual(['- FROM ${BASE}', '+ FROM node']);
    expect(change).toBe('FROM node (line 2, was node:20-alpine)');
    expect(skipped(unpinBase, 'ARG BASE\nFROM ${BASE}\n')).toBe('the base image ${BASE} depends on build arguments');
  });

  it('does not apply to scratch or to a base that is not pinned', () => {
    expect(skipped(unpinBase, 'FROM scratch\nCOPY app /\n')).toBe('the final image is built FROM scratch');
    expect(skipped(unpinBase, 'FROM busybox\n')).toBe('the base image busybox is not pinned to begin with');
  });
});

describe('shell-form-cmd', () => {
  it('turns an exec-form ENTRYPOINT into shell form, folding the CMD into it', () => {
    const { text, change } = mutated(shellFormStart, WEB);
    expect(diff(WEB, text)).toEqual(['- ENTRYPOINT ["/app/server.sh"]', '- CMD ["8080"]', '+ ENTRYPOINT /app/server.sh 8080']);
    expect(change).toBe('ENTRYPOINT /app/server.sh 8080 (line 11; the CMD on line 12 joined it)');
  });

  it('turns a CMD into shell form, quoting what the shell would split', () => {
    const df = 'FROM node:20\nCMD ["node", "app.js", "--name", "it\'s me"]\n';
    expect(mutated(shellFormStart, df).text).toBe("FROM node:20\nCMD node app.js --name 'it'\\''s me'\n");
  });

  it('does not apply when the start is in shell form already, or there is none', () => {
    expect(skipped(shellFormStart, 'FROM node:20\nCMD node app.js\n')).toBe('CMD (line 2) is in shell form already');
    expect(skipped(shellFormStart, 'FROM node:20\n')).toBe('the image has no CMD or ENTRYPOINT');
  });
});

describe('user-removed and env-removed', () => {
  it('remove every USER / ENV of the final image (continuation lines too), nothing else', () => {
    expect(diff(WEB, mutated(removeUser, WEB).text)).toEqual(['- USER 65534:65534']);
    const { text, change } = mutated(removeEnv, WEB);
    expect(diff(WEB, text)).toEqual(['- ENV GREETING="hello" \\', '-     PORT=8080']);
    expect(change).toBe('ENV removed (line 5)');
  });

  it('leave a builder stage alone', () => {
    const df = 'FROM node:20 AS build\nUSER node\nFROM nginx:1.27\nCOPY --from=build /a /b\n';
    expect(skipped(removeUser, df)).toBe('the final image has no USER');
  });
});

describe('expose-changed', () => {
  it('moves every EXPOSEd port to one the app does not use, keeping the protocol', () => {
    const df = 'FROM busybox:1.35\nEXPOSE 8080/tcp 3000\n';
    const { text, change } = mutated(changeExpose, df);
    expect(text).toBe('FROM busybox:1.35\nEXPOSE 5000/tcp 8000\n');
    expect(change).toBe('EXPOSE 8080 → 5000, 3000 → 8000 (line 2)');
    expect(diff(WEB, mutated(changeExpose, WEB).text)).toEqual(['- EXPOSE 8080', '+ EXPOSE 3000']);
  });

  it('does not apply without EXPOSE, or when EXPOSE uses a variable only', () => {
    expect(skipped(changeExpose, 'FROM busybox:1.35\n')).toBe('the final image EXPOSEs no port');
    expect(skipped(changeExpose, 'FROM busybox:1.35\nEXPOSE $PORT\n')).toBe('EXPOSE names its ports with variables only');
  });
});

describe('app-port-changed', () => {
  it('moves the port in ENV and CMD, never in EXPOSE', () => {
    const { text, change } = mutated(moveAppPort, WEB);
    expect(diff(WEB, text)).toEqual(['-     PORT=8080', '- CMD ["8080"]', '+     PORT=3000', '+ CMD ["3000"]']);
    expect(change).toBe("the app's port 8080 → 3000 (lines 5, 12); EXPOSE unchanged");
  });

  it('finds the port in flags and addresses, not inside longer numbers', () => {
    const df = 'FROM python:3.12\nEXPOSE 8000\nCMD ["gunicorn", "-b", "0.0.0.0:8000", "--timeout", "18000", "app:app"]\n';
    expect(mutated(moveAppPort, df).text).toContain('CMD ["gunicorn", "-b", "0.0.0.0:3000", "--timeout", "18000", "app:app"]');
  });

  it("uses the rubric's port when it names one", () => {
    const df = 'FROM node:20\nENV PORT=5000\nCMD ["node", "app.js"]\n';
    expect(mutated(moveAppPort, df, 5000).text).toContain('ENV PORT=3000');
  });

  it('does not apply when the Dockerfile passes no port to the app', () => {
    expect(skipped(moveAppPort, 'FROM node:20\nEXPOSE 3000\nCMD ["node", "app.js"]\n')).toBe(
      'no ENV, ARG, CMD or ENTRYPOINT passes the port 3000 to the app',
    );
    expect(skipped(moveAppPort, 'FROM node:20\nCMD ["node", "app.js"]\n')).toBe(
      'neither the rubric nor the Dockerfile names the port the app listens on',
    );
  });
});

describe('loopback-only', () => {
  it('turns a 0.0.0.0 bind address into 127.0.0.1', () => {
    const df = 'FROM python:3.12\nENV HOST=0.0.0.0\nCMD ["uvicorn", "main:app", "--host", "0.0.0.0", "--port", "8000"]\n';
    const { text, change } = mutated(loopbackOnly, df);
    expect(text).toBe('FROM python:3.12\nENV HOST=127.0.0.1\nCMD ["uvicorn", "main:app", "--host", "127.0.0.1", "--port", "8000"]\n');
    expect(change).toBe('0.0.0.0 → 127.0.0.1 (lines 2, 3)');
  });

  it('does not apply when the Dockerfile passes no bind address', () => {
    expect(skipped(loopbackOnly, WEB)).toBe('no ENV, ARG, CMD or ENTRYPOINT passes the app a bind address (0.0.0.0)');
  });
});

describe('add-for-copy', () => {
  it('turns COPY into ADD, flags kept, COPY --from left alone', () => {
    const df = 'FROM node:20 AS build\nFROM nginx:1.27\ncopy --chown=app:app site/ /usr/share/nginx/html/\nCOPY --from=build /a /b\n';
    expect(diff(df, mutated(addForCopy, df).text)).toEqual([
      '- copy --chown=app:app site/ /usr/share/nginx/html/',
      '+ ADD --chown=app:app site/ /usr/share/nginx/html/',
    ]);
    expect(skipped(addForCopy, 'FROM a:1 AS b\nFROM c:1\nCOPY --from=b /x /y\n')).toBe('the final image has no COPY of local files');
  });
});

describe('crash-at-start and sigterm-ignored', () => {
  it('replace the ENTRYPOINT (the start command) in exec form', () => {
    expect(diff(WEB, mutated(crashAtStart, WEB).text)).toEqual([
      '- ENTRYPOINT ["/app/server.sh"]',
      '+ ENTRYPOINT ["/bin/sh", "-c", "echo \\"crashed at start\\" >&2; exit 1"]',
    ]);
    expect(diff(WEB, mutated(ignoreSigterm, WEB).text)).toEqual([
      '- ENTRYPOINT ["/app/server.sh"]',
      `+ ENTRYPOINT ["/bin/sh", "-c", "trap '' TERM; \\"$@\\" & wait \\"$!\\"", "sh", "/app/server.sh"]`,
    ]);
  });

  it('wrap the CMD when there is no ENTRYPOINT', () => {
    const df = 'FROM node:20\nCMD ["node", "app.js"]\n';
    expect(mutated(ignoreSigterm, df).text).toBe(
      `FROM node:20\nCMD ["/bin/sh", "-c", "trap '' TERM; \\"$@\\" & wait \\"$!\\"", "sh", "node", "app.js"]\n`,
    );
    expect(skipped(ignoreSigterm, 'FROM node:20\nCMD node app.js\n')).toBe('CMD (line 2) is in shell form, which ignores SIGTERM already');
  });

  it('produce Dockerfiles whose start stays in exec form', () => {
    for (const mutate of [crashAtStart, ignoreSigterm]) {
      const df = parseDockerfile(mutated(mutate, WEB).text, 'Dockerfile');
      expect(df.instructions.filter((i) => i.keyword === 'ENTRYPOINT' || i.keyword === 'CMD').every((i) => i.json)).toBe(true);
    }
  });
});

describe('broken-run and big-layer', () => {
  it('insert a step right after the final FROM, before any USER', () => {
    const df = 'FROM golang:1.22 AS build\nRUN go build\nFROM busybox:1.35 \\\n  AS final\nUSER 1000\n';
    expect(mutated(brokenRun, df).text).toBe(
      'FROM golang:1.22 AS build\nRUN go build\nFROM busybox:1.35 \\\n  AS final\nRUN exit 1\nUSER 1000\n',
    );
    expect(mutated(bigLayer, WEB).text.split('\n')[2]).toBe('RUN dd if=/dev/zero of=/grader-big-layer bs=1M count=0 seek=1024');
    expect(skipped(brokenRun, '# nothing\n')).toBe('the Dockerfile has no FROM');
  });
});

describe('the built-in list', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('has unique names, each mutation once', () => {
    const names = builtinMutations().map((m) => m.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toHaveLength(13);
  });

  it('edits the Dockerfile the rubric names, and deletes the context’s .dockerignore', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'grader-mutation-test-'));
    await mkdir(path.join(dir, 'app'));
    await writeFile(path.join(dir, 'app', 'Dockerfile.prod'), WEB);
    await writeFile(path.join(dir, 'app', '.dockerignore'), '.git\n');
    const target = { dir, dockerfile: 'app/Dockerfile.prod', context: 'app' };
    const byName = new Map(builtinMutations().map((m) => [m.name, m]));
    expect(await byName.get('user-removed')!.apply(target)).toEqual({ applied: true, change: 'USER removed (line 10)' });
    expect(await readFile(path.join(dir, 'app', 'Dockerfile.prod'), 'utf8')).not.toContain('USER');
    expect(await byName.get('dockerignore-deleted')!.apply(target)).toEqual({ applied: true, change: 'app/.dockerignore deleted' });
    await expect(access(path.join(dir, 'app', '.dockerignore'))).rejects.toThrow();
    expect(await byName.get('dockerignore-deleted')!.apply(target)).toEqual({
      applied: false,
      reason: 'the build context has no .dockerignore',
    });
    expect(await byName.get('env-removed')!.apply({ ...target, dockerfile: 'Dockerfile' })).toEqual({
      applied: false,
      reason: 'there is no Dockerfile',
    });
  });
});
