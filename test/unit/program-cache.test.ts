import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCachedProgram } from '../../src/program-cache.js';

const PROGRAM = `
const path = require('node:path');
function answer(n) { return n * 2; }
exports.answer = answer;
exports.where = path.basename(__dirname) + '/' + path.basename(__filename);
exports.strict = (function () { return this === undefined; })();
`;

let scratch: string;
let cacheFolder: string;
const saved = { XDG_CACHE_HOME: process.env.XDG_CACHE_HOME, NODE_DISABLE_COMPILE_CACHE: process.env.NODE_DISABLE_COMPILE_CACHE };

beforeEach(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'grader-program-cache-'));
  process.env.XDG_CACHE_HOME = path.join(scratch, 'cache');
  delete process.env.NODE_DISABLE_COMPILE_CACHE;
  cacheFolder = path.join(scratch, 'cache', 'grader', 'v8-compile-cache');
});

afterEach(async () => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await rm(scratch, { recursive: true, force: true });
});

async function program(text: string): Promise<string> {
  const file = path.join(scratch, 'bin', 'program.cjs');
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
  return file;
}

type Exports = { answer(n: number): number; where: string; strict: boolean };

describe('runCachedProgram', () => {
  it('runs a CommonJS file as Node would, with its own require, __filename and __dirname', async () => {
    const run = runCachedProgram<Exports>(await program(`"use strict";${PROGRAM}`));
    expect(run.exports.answer(21)).toBe(42);
    expect(run.exports.where).toBe('bin/program.cjs');
    expect(run.exports.strict).toBe(true);
  });

  it('keeps the code of a run at its end, and the next run takes it from there', async () => {
    const file = await program(PROGRAM);
    const first = runCachedProgram<Exports>(file);
    expect(first.cached).toBe(false);
    first.exports.answer(1);
    first.saveCache();
    const files = await readdir(cacheFolder);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^program\.cjs-[0-9a-f]+-[0-9a-f]+$/);

    const second = runCachedProgram<Exports>(file);
    expect(second.cached).toBe(true);
    expect(second.exports.answer(2)).toBe(4);
    const before = await readFile(path.join(cacheFolder, files[0]!));
    second.saveCache();
    expect(await readFile(path.join(cacheFolder, files[0]!))).toEqual(before);
  });

  it('never gives a changed program the code of the old one, and replaces its cache', async () => {
    runCachedProgram<Exports>(await program(PROGRAM)).saveCache();
    // Same length, other code: V8 alone would not tell them apart.
    const changed = runCachedProgram<Exports>(await program(PROGRAM.replace('n * 2', 'n + 2')));
    expect(changed.cached).toBe(false);
    expect(changed.exports.answer(21)).toBe(23);
    changed.saveCache();
    expect(await readdir(cacheFolder)).toHaveLength(1);
    expect(runCachedProgram<Exports>(await program(PROGRAM.replace('n * 2', 'n + 2'))).cached).toBe(true);
  });

  it('keeps one cache for each installed copy of a program', async () => {
    const first = await program(PROGRAM);
    const second = path.join(scratch, 'elsewhere', 'program.cjs');
    await mkdir(path.dirname(second), { recursive: true });
    await writeFile(second, PROGRAM);
    runCachedProgram<Exports>(first).saveCache();
    runCachedProgram<Exports>(second).saveCache();
    expect(await readdir(cacheFolder)).toHaveLength(2);
    expect(runCachedProgram<Exports>(first).cached).toBe(true);
    expect(runCachedProgram<Exports>(second).cached).toBe(true);
  });

  it('ignores a damaged cache and writes a good one in its place', async () => {
    const file = await program(PROGRAM);
    runCachedProgram<Exports>(file).saveCache();
    const [name] = await readdir(cacheFolder);
    const cacheFile = path.join(cacheFolder, name!);
    const damaged = await readFile(cacheFile);
    damaged[damaged.length - 1]! ^= 0xff;
    await writeFile(cacheFile, damaged);

    const run = runCachedProgram<Exports>(file);
    expect(run.cached).toBe(false);
    expect(run.exports.answer(5)).toBe(10);
    run.saveCache();
    expect(runCachedProgram<Exports>(file).cached).toBe(true);
  });

  it('keeps nothing when NODE_DISABLE_COMPILE_CACHE is set', async () => {
    process.env.NODE_DISABLE_COMPILE_CACHE = '1';
    const file = await program(PROGRAM);
    runCachedProgram<Exports>(file).saveCache();
    const again = runCachedProgram<Exports>(file);
    expect(again.cached).toBe(false);
    await expect(readdir(cacheFolder)).rejects.toThrow(/ENOENT/);
  });
});
