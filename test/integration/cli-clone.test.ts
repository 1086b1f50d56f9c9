/**
 * The `grader` command while it clones: SIGTERM stops the clone with exit code 130 and
 * leaves no git process and no temp folder; a ref that looks like an option is refused
 * (exit 2) instead of grading the default branch; a ref is graded and named in the results
 * JSON. Runs a bundle of the current source, made here (the committed dist/ may lag behind it).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitFiles, git, leftovers, processesMentioning, silentServer, tempDir } from '../helpers/git-repos.js';
import { eventually } from '../helpers/docker.js';
import { writeRubric } from '../helpers/submissions.js';

const root = path.resolve(import.meta.dirname, '../..');
// Inside the project, so that the bundle's imports of packages resolve to node_modules.
const bundleDir = path.join(root, 'node_modules', '.cache', `grader-cli-test-${randomBytes(4).toString('hex')}`);
const cli = path.join(bundleDir, 'cli.mjs');
/** After a signal, the CLI cleans up and exits 130 this long later whatever it is doing. */
const BACKSTOP_MS = 5_000;
let scratch: string;

beforeAll(async () => {
  await build({
    entryPoints: [path.join(root, 'src/cli.ts')],
    outfile: cli,
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'warning',
  });
  scratch = await mkdtemp(path.join(tmpdir(), 'grader-cli-clone-tmp-'));
});

afterAll(async () => {
  await rm(bundleDir, { recursive: true, force: true });
  await rm(scratch, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  stderr: string;
}

function grader(args: string[], whileRunning?: (pid: number) => Promise<void>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: root, env: { ...process.env, NO_COLOR: '1', TMPDIR: scratch } });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
    if (whileRunning) whileRunning(child.pid!).catch(reject);
  });
}

describe('grader CLI, cloning', () => {
  it('on SIGTERM during a clone, exits 130 with no git process and no temp folder left', async () => {
    const server = await silentServer();
    try {
      const url = `http://127.0.0.1:${server.port}/repo.git`;
      let signalledAt = 0;
      const run = await grader([url, '--rubric', 'web'], async (pid) => {
        await server.connected;
        signalledAt = performance.now();
        process.kill(pid, 'SIGTERM');
      });
      const stopMs = performance.now() - signalledAt;
      expect(run.code, run.stderr).toBe(130);
      expect(run.stderr).toContain('SIGTERM: stopping and cleaning up');
      // The CLI's backstop also exits 130, but only 5 s after the signal: ending sooner is
      // what shows the clone itself stopped.
      expect(stopMs).toBeLessThan(BACKSTOP_MS);
      expect(processesMentioning(`127.0.0.1:${server.port}`)).toEqual([]);
      expect(await leftovers(scratch)).toEqual([]);
      await eventually(async () => expect(server.open).toBe(0));
    } finally {
      await server.close();
    }
  });

  it('refuses --ref=-v with exit code 2 instead of grading the default branch', async () => {
    const fixtures = await tempDir('grader-cli-ref-');
    try {
      const repo = path.join(fixtures.dir, 'repo');
      mkdirSync(repo);
      commitFiles(repo, { Dockerfile: 'FROM busybox:1.35\n' });
      const run = await grader([`file://${repo}`, '--ref=-v', '--rubric', 'web']);
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(
        'grader: not a branch, tag or commit: "-v" (a ref cannot start with "-" or contain spaces or control characters)\n',
      );
      expect(await leftovers(scratch)).toEqual([]);
    } finally {
      await fixtures.remove();
    }
  });

  it('grades the commit a --ref names, and the results JSON gives the ref, the commit and every place a rule found', async () => {
    const fixtures = await tempDir('grader-cli-json-');
    try {
      const repo = path.join(fixtures.dir, 'repo');
      mkdirSync(repo);
      const tagged = commitFiles(repo, {
        Dockerfile: 'FROM busybox:1.35\nADD a.txt /a\nRUN true\nADD b.txt /b\n',
        'a.txt': 'a',
        'b.txt': 'b',
      });
      git(repo, ['tag', 'hw1']);
      // A later commit on the default branch, so grading it instead of hw1 would show.
      writeFileSync(path.join(repo, 'Dockerfile'), 'FROM busybox:1.35\nCOPY a.txt b.txt /\n');
      git(repo, ['commit', '-q', '-am', 'COPY, not ADD']);
      const rubric = await writeRubric(
        fixtures.dir,
        'rubric: 1\ntitle: t\nchecks:\n  - { id: no-add, name: no ADD, dockerfile: { rule: no-add } }\n',
      );
      const json = path.join(fixtures.dir, 'results.json');
      const run = await grader([`file://${repo}`, '--ref', 'hw1', '--rubric', rubric, '--json', json]);
      expect(run.code, run.stderr).toBe(0); // the rubric sets no pass mark
      const results = JSON.parse(readFileSync(json, 'utf8'));
      const committedAt = new Date(git(repo, ['show', '-s', '--format=%cI', tagged])).toISOString();
      expect(results.submission).toEqual({ source: `file://${repo}`, commit: tagged, committed_at: committedAt, ref: 'hw1' });
      expect(results.checks[0]).toMatchObject({
        id: 'no-add',
        status: 'failed',
        location: { path: 'Dockerfile', line: 2 },
        locations: [
          { path: 'Dockerfile', line: 2 },
          { path: 'Dockerfile', line: 4 },
        ],
      });
    } finally {
      await fixtures.remove();
    }
  });
});
