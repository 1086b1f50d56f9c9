/**
 * The hostile corpus (test/fixtures/hostile/<name>/): grading one of its submissions on
 * the real engine, with a clock, a logger that keeps every line, and the run id for
 * `listLeftovers`. Symlinks are never committed to the corpus (tools walking the tree
 * would follow them); tests add them to a temporary copy.
 */
import { appendFile, cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { grade, newRunId } from '../../src/core/grade.js';
import type { Logger } from '../../src/basics/logger.js';
import type { CheckResult, GradeResult } from '../../src/basics/results.js';
import type { ContainerEngine } from '../../src/engine/engine.js';
import { parseRubric } from '../../src/rubric/load.js';

export const HOSTILE_DIR = path.resolve(import.meta.dirname, '../fixtures/hostile');

/** Small limits so every hostile case ends in seconds, well under a minute each. */
export const SMALL_LIMITS = 'limits: { memory: 64m, pids: 64 }';

export function fixture(name: string): string {
  return path.join(HOSTILE_DIR, name);
}

/** A temporary copy of a corpus folder, for cases that add symlinks or files at test time. */
export async function copyFixture(name: string): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), `grader-hostile-${name}-`));
  await cp(fixture(name), dir, { recursive: true, verbatimSymlinks: true });
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export interface CollectingLogger extends Logger {
  readonly lines: string[];
}

/** A logger that keeps every line it is given, debug included (the build log goes there). */
export function collectingLogger(): CollectingLogger {
  const lines: string[] = [];
  const keep = (message: string) => {
    lines.push(message);
  };
  return {
    lines,
    debug: keep,
    info: keep,
    warn: keep,
    group<T>(title: string, work: () => Promise<T>): Promise<T> {
      lines.push(title);
      return work();
    },
  };
}

export interface HostileRun {
  result: GradeResult;
  runId: string;
  wallMs: number;
  logger: CollectingLogger;
}

/** Grades `dir` against a rubric given as YAML text; records the run id when HOSTILE_RUN_IDS_FILE is set. */
export async function gradeHostile(engine: ContainerEngine, dir: string, rubricText: string): Promise<HostileRun> {
  const rubric = parseRubric(rubricText, 'hostile-rubric.yml');
  const runId = newRunId();
  const logger = collectingLogger();
  const idsFile = process.env.HOSTILE_RUN_IDS_FILE;
  if (idsFile) await appendFile(idsFile, `${runId}\n`);
  const started = Date.now();
  const result = await grade({ rubric, submission: { dir, source: path.basename(dir) }, engine, runId, logger });
  return { result, runId, wallMs: Date.now() - started, logger };
}

export function check(result: GradeResult, id: string): CheckResult {
  const found = result.checks.find((c) => c.id === id);
  if (!found) throw new Error(`no check ${id} in ${result.checks.map((c) => c.id).join(', ')}`);
  return found;
}

/** The parts of a markdown document outside fenced code blocks (CommonMark backtick and tilde fences). */
export function outsideFences(markdown: string): { outside: string; fenced: string[] } {
  const outside: string[] = [];
  const fenced: string[] = [];
  let open: { char: string; length: number; lines: string[] } | undefined;
  for (const line of markdown.split('\n')) {
    if (!open) {
      const start = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(line);
      // A backtick fence's info string may not contain a backtick.
      if (start && !(start[1]![0] === '`' && start[2]!.includes('`'))) {
        open = { char: start[1]![0]!, length: start[1]!.length, lines: [] };
      } else {
        outside.push(line);
      }
      continue;
    }
    const close = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(line);
    if (close && close[1]![0] === open.char && close[1]!.length >= open.length) {
      fenced.push(open.lines.join('\n'));
      open = undefined;
    } else {
      open.lines.push(line);
    }
  }
  // An unclosed fence runs to the end of the document: it would swallow the rest of the report.
  if (open) fenced.push(open.lines.join('\n'));
  return { outside: outside.join('\n'), fenced };
}

/** Bytes of a string in UTF-8. */
export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
