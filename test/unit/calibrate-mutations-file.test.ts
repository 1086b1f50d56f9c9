/**
 * An instructor's mutations file: what it may say, each mistake in it reported with its file,
 * line, column and key, and each kind of change made on a copy as described.
 */
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile, access } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RubricProblem } from '../../src/basics/errors.js';
import { builtinMutations } from '../../src/class/calibrate/builtin-mutations.js';
import { MutationsFileError, customMutation, loadMutationsFile, parseMutations } from '../../src/class/calibrate/mutations-file.js';

const BUILTIN_NAMES = builtinMutations().map((m) => m.name);

function problemsOf(text: string): Omit<RubricProblem, 'file'>[] {
  try {
    parseMutations(text, 'm.yml', BUILTIN_NAMES);
  } catch (err) {
    expect(err).toBeInstanceOf(MutationsFileError);
    const error = err as MutationsFileError;
    for (const problem of error.problems) expect(problem.file).toBe('m.yml');
    return error.problems.map(({ file: _file, ...rest }) => rest);
  }
  throw new Error('expected the mutations file to be rejected');
}

describe('a valid mutations file', () => {
  it('reads every kind of change', () => {
    const specs = parseMutations(
      `mutations:
  - name: greeting-forgotten
    description: the app no longer reads GREETING
    edit: { file: ./src//handle.sh, replace: "\${GREETING}", with: "" }
  - name: no-healthcheck
    dockerfile: { replace: HEALTHCHECK, with: "# HEALTHCHECK" }
  - name: debug-step
    dockerfile:
      append: |-
        RUN echo one
        RUN echo two
  - name: readme-deleted
    delete: README.md
`,
      'm.yml',
      BUILTIN_NAMES,
    );
    expect(specs).toEqual([
      {
        name: 'greeting-forgotten',
        description: 'the app no longer reads GREETING',
        change: { kind: 'edit', file: 'src/handle.sh', replace: '${GREETING}', with: '' },
      },
      { name: 'no-healthcheck', change: { kind: 'dockerfile-replace', replace: 'HEALTHCHECK', with: '# HEALTHCHECK' } },
      { name: 'debug-step', change: { kind: 'dockerfile-append', append: 'RUN echo one\nRUN echo two' } },
      { name: 'readme-deleted', change: { kind: 'delete', path: 'README.md' } },
    ]);
  });
});

describe('mistakes in a mutations file, each with its position', () => {
  it('a YAML syntax error', () => {
    expect(problemsOf('mutations:\n  - name: a\n    delete: [x\n')).toEqual([
      expect.objectContaining({ line: 4, key: '', message: expect.stringMatching(/^YAML syntax error/) }),
    ]);
  });

  it('no mutations list, or an empty one', () => {
    expect(problemsOf('- name: a\n')).toEqual([
      { line: 1, column: 1, key: '', message: 'a mutations file is a mapping with a "mutations:" list' },
    ]);
    expect(problemsOf('mutation: []\n')).toEqual([
      { line: 1, column: 1, key: 'mutation', message: 'unknown key "mutation"', suggestion: 'mutations' },
      { line: 1, column: 1, key: 'mutations', message: 'missing "mutations:" (a list of mutations)' },
    ]);
    expect(problemsOf('mutations: []\n')).toEqual([
      { line: 1, column: 12, key: 'mutations', message: 'the list is empty: add at least one mutation' },
    ]);
  });

  it('an unknown key, with the key meant', () => {
    expect(problemsOf('mutations:\n  - name: a\n    delte: x\n')).toEqual([
      { line: 3, column: 5, key: 'mutations[0].delte', message: 'unknown key "delte"', suggestion: 'delete' },
      { line: 2, column: 5, key: 'mutations[0]', message: 'a mutation needs exactly one of: edit, dockerfile, delete; found none' },
    ]);
    expect(problemsOf('mutations:\n  - name: a\n    edit: { file: x, replace: y, whith: z }\n')).toEqual([
      { line: 3, column: 34, key: 'mutations[0].edit.whith', message: 'unknown key "whith"', suggestion: 'with' },
      { line: 3, column: 11, key: 'mutations[0].edit.with', message: 'missing "with"' },
    ]);
  });

  it('two changes in one mutation', () => {
    expect(problemsOf('mutations:\n  - name: a\n    delete: x\n    edit: { file: x, replace: y, with: z }\n')).toEqual([
      {
        line: 2,
        column: 5,
        key: 'mutations[0]',
        message: 'a mutation needs exactly one of: edit, dockerfile, delete; found edit and delete',
      },
    ]);
  });

  it('a missing, empty, spaced, repeated or built-in name', () => {
    expect(problemsOf('mutations:\n  - delete: x\n')).toEqual([
      { line: 2, column: 5, key: 'mutations[0].name', message: 'missing "name"' },
    ]);
    expect(problemsOf('mutations:\n  - { name: "", delete: x }\n')).toEqual([
      { line: 2, column: 13, key: 'mutations[0].name', message: 'must not be empty' },
    ]);
    expect(problemsOf('mutations:\n  - { name: two words, delete: x }\n')).toEqual([
      {
        line: 2,
        column: 13,
        key: 'mutations[0].name',
        message: 'must be one word of at most 64 characters (no spaces), e.g. greeting-forgotten',
      },
    ]);
    expect(
      problemsOf('mutations:\n  - { name: a, delete: x }\n  - { name: a, delete: y }\n  - { name: user-removed, delete: z }\n'),
    ).toEqual([
      { line: 3, column: 13, key: 'mutations[1].name', message: '"a" is used by an earlier mutation; names must be unique' },
      { line: 4, column: 13, key: 'mutations[2].name', message: '"user-removed" is the name of a built-in mutation; choose another' },
    ]);
  });

  it('a path outside the solution', () => {
    expect(
      problemsOf(
        'mutations:\n  - { name: a, delete: ../secret }\n  - { name: b, edit: { file: /etc/passwd, replace: x, with: y } }\n  - { name: c, delete: ./ }\n',
      ),
    ).toEqual([
      {
        line: 2,
        column: 24,
        key: 'mutations[0].delete',
        message: 'must be a path inside the solution folder, relative to it (got "../secret")',
      },
      {
        line: 3,
        column: 30,
        key: 'mutations[1].edit.file',
        message: 'must be a path inside the solution folder, relative to it (got "/etc/passwd")',
      },
      {
        line: 4,
        column: 24,
        key: 'mutations[2].delete',
        message: 'must name a file or folder inside the solution, not the solution itself',
      },
    ]);
  });

  it('text that is not text, an empty replace, and a Dockerfile change that is both or neither', () => {
    expect(problemsOf('mutations:\n  - { name: a, edit: { file: x, replace: "", with: 8080 } }\n')).toEqual([
      { line: 2, column: 42, key: 'mutations[0].edit.replace', message: 'must not be empty' },
      { line: 2, column: 52, key: 'mutations[0].edit.with', message: 'must be text (quote it: "8080")' },
    ]);
    expect(
      problemsOf('mutations:\n  - { name: a, dockerfile: { append: x, replace: y, with: z } }\n  - { name: b, dockerfile: {} }\n'),
    ).toEqual([
      { line: 2, column: 28, key: 'mutations[0].dockerfile', message: 'takes either append, or replace and with; not both' },
      { line: 3, column: 28, key: 'mutations[1].dockerfile', message: 'needs append, or replace and with' },
    ]);
  });

  it('says which file, in the message a user sees', () => {
    expect(() => parseMutations('mutations:\n  - name: a\n', 'hw1-mutations.yml')).toThrow(
      'invalid mutations file hw1-mutations.yml\nhw1-mutations.yml:2:5: mutations[0]: a mutation needs exactly one of: edit, dockerfile, delete; found none',
    );
  });

  it('a file that is not there', async () => {
    await expect(loadMutationsFile('/nonexistent/mutations.yml')).rejects.toThrow('mutations file not found: /nonexistent/mutations.yml');
  });
});

describe('custom mutations on a copy', () => {
  let dir: string;
  const target = () => ({ dir, dockerfile: 'Dockerfile', context: '.' });
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'grader-custom-mutation-'));
    await writeFile(path.join(dir, 'Dockerfile'), 'FROM busybox:1.35\nHEALTHCHECK CMD true');
    await mkdir(path.join(dir, 'src'));
    await writeFile(path.join(dir, 'src', 'app.sh'), 'echo $GREETING; echo $GREETING\n');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const apply = (yaml: string) => customMutation(parseMutations(`mutations:\n  - ${yaml}\n`, 'm.yml')[0]!).apply(target());

  it('replaces every occurrence in a file', async () => {
    expect(await apply('{ name: a, edit: { file: src/app.sh, replace: $GREETING, with: hi } }')).toEqual({
      applied: true,
      change: 'src/app.sh: "$GREETING" → "hi" (2 times)',
    });
    expect(await readFile(path.join(dir, 'src', 'app.sh'), 'utf8')).toBe('echo hi; echo hi\n');
  });

  it('appends to the Dockerfile on a line of its own, and replaces in it', async () => {
    expect(await apply('{ name: a, dockerfile: { append: "USER root" } }')).toMatchObject({ applied: true });
    expect(await readFile(path.join(dir, 'Dockerfile'), 'utf8')).toBe('FROM busybox:1.35\nHEALTHCHECK CMD true\nUSER root\n');
    expect(await apply('{ name: b, dockerfile: { replace: "HEALTHCHECK CMD true\\n", with: "" } }')).toMatchObject({ applied: true });
    expect(await readFile(path.join(dir, 'Dockerfile'), 'utf8')).toBe('FROM busybox:1.35\nUSER root\n');
  });

  it('deletes a file or a folder', async () => {
    expect(await apply('{ name: a, delete: src }')).toEqual({ applied: true, change: 'src deleted' });
    await expect(access(path.join(dir, 'src'))).rejects.toThrow();
  });

  it('does not apply (and says why) when the file or the text is not there', async () => {
    expect(await apply('{ name: a, delete: README.md }')).toEqual({ applied: false, reason: 'README.md does not exist in the solution' });
    expect(await apply('{ name: a, edit: { file: nope.sh, replace: x, with: y } }')).toEqual({
      applied: false,
      reason: 'nope.sh does not exist in the solution',
    });
    expect(await apply('{ name: a, dockerfile: { replace: "FROM node", with: x } }')).toEqual({
      applied: false,
      reason: '"FROM node" does not occur in Dockerfile',
    });
  });

  it('never writes through a link out of the copy', async () => {
    const outside = await mkdtemp(path.join(tmpdir(), 'grader-custom-outside-'));
    try {
      await writeFile(path.join(outside, 'victim.txt'), 'keep me');
      await symlink(path.join(outside, 'victim.txt'), path.join(dir, 'link.txt'));
      await symlink(outside, path.join(dir, 'linked-dir'));
      const edited = await apply('{ name: a, edit: { file: link.txt, replace: keep, with: lost } }');
      expect(edited.applied).toBe(false);
      const deleted = await apply('{ name: a, delete: linked-dir/victim.txt }');
      expect(deleted.applied).toBe(false);
      expect(await readFile(path.join(outside, 'victim.txt'), 'utf8')).toBe('keep me');
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });
});
