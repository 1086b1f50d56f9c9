/**
 * Feedback in Korean, end to end: the bundle grades a failing submission against the built-in
 * rubric with --lang ko. Every check name and message is Korean, technical words are kept as
 * they are, and the score is exactly the English run's.
 */
import { spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const cli = path.join(root, 'dist/cli.js');
const HANGUL = /[\uAC00-\uD7A3]/;
let dir: string;

function grade(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: root, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

interface Results {
  locale: string;
  score: number;
  percent: number;
  checks: { id: string; name: string; status: string; points: number; message: string; feedback?: string }[];
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'grader-ko-'));
  await cp(path.join(root, 'examples/web-app'), path.join(dir, 'app'), { recursive: true });
  // Shell-form CMD on the wrong port, root, no LABEL, ADD: several checks fail, some pass.
  await writeFile(
    path.join(dir, 'app', 'Dockerfile'),
    'FROM busybox:1.35\nWORKDIR /app\nADD server.sh handle.sh /app/\nEXPOSE 8080\nCMD /app/server.sh 5000\n',
  );
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('--lang ko', () => {
  it('writes every check name and message in Korean, with the same score as in English', async () => {
    const en = path.join(dir, 'en.json');
    const ko = path.join(dir, 'ko.json');
    const markdown = path.join(dir, 'ko.md');
    const [english, korean] = [
      await grade([path.join(dir, 'app'), '--rubric', 'web', '--json', en]),
      await grade([path.join(dir, 'app'), '--rubric', 'web', '--lang', 'ko', '--json', ko, '--markdown', markdown]),
    ];
    expect(english.code).toBe(1);
    expect(korean.code).toBe(1);
    const a = JSON.parse(await readFile(en, 'utf8')) as Results;
    const b = JSON.parse(await readFile(ko, 'utf8')) as Results;
    expect([a.locale, b.locale]).toEqual(['en', 'ko']);
    expect(b.score).toBe(a.score);
    expect(b.percent).toBe(a.percent);
    expect(b.checks.map((c) => [c.id, c.status, c.points])).toEqual(a.checks.map((c) => [c.id, c.status, c.points]));
    expect(b.checks.some((c) => c.status === 'failed')).toBe(true);
    for (const check of b.checks) {
      expect({ id: check.id, name: HANGUL.test(check.name) }).toEqual({ id: check.id, name: true });
      expect({ id: check.id, message: HANGUL.test(check.message) }).toEqual({ id: check.id, message: true });
      if (check.feedback) expect(HANGUL.test(check.feedback)).toBe(true);
    }
    // The terminal report and the markdown report are Korean too, and keep the technical words.
    expect(korean.stdout).toMatch(HANGUL);
    expect(korean.stdout).not.toMatch(/\bScore\b|\bpassed\b|What to fix/);
    const report = await readFile(markdown, 'utf8');
    expect(report).toMatch(/점수/);
    expect(report).toContain('8080');
  });
});
