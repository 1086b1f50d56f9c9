#!/usr/bin/env node
/**
 * Checks that every folder of src/ imports only the folders below it: each layer may use
 * what sits under it, never what sits above, so no two folders import each other.
 * Prints every import that goes the wrong way and exits 1 if there is any.
 *
 *   node scripts/check-layers.mjs
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';

const src = path.resolve(import.meta.dirname, '..', 'src');

/** Top first. Folders on one line are peers: they may not import each other. */
const LAYERS = [
  ['(entry)'], // src/cli.ts, src/index.ts: the bundles' entry points
  ['cli', 'action'], // adapters
  ['class'], // grading a whole class: roster, commits at the deadline, runs in parallel
  ['core'], // the grading pipeline
  ['probes'], // one module per check kind
  ['rubric', 'report'], // the rubric model; pure renderers
  ['workspace'], // getting the submission
  ['engine'], // the container engine
  ['basics'], // what everything shares; imports nothing of ours
];
const level = new Map(LAYERS.flatMap((names, index) => names.map((name) => [name, index])));

async function* sources(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* sources(full);
    else if (entry.name.endsWith('.ts')) yield full;
  }
}

function folderOf(file) {
  const parts = path.relative(src, file).split(path.sep);
  return parts.length > 1 ? parts[0] : '(entry)';
}

const problems = [];
for await (const file of sources(src)) {
  const from = folderOf(file);
  const text = await readFile(file, 'utf8');
  for (const match of text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
    const target = path.resolve(path.dirname(file), match[1]);
    if (!target.startsWith(src + path.sep)) continue; // data outside src (the schema)
    const to = folderOf(target);
    if (to === from) continue;
    if (!level.has(from) || !level.has(to)) {
      problems.push(`${path.relative(src, file)}: folder ${!level.has(from) ? from : to} is in no layer; add it to LAYERS`);
    } else if (level.get(to) <= level.get(from)) {
      problems.push(`${path.relative(src, file)} imports ${match[1]}: ${from} may only import layers below it`);
    }
  }
}
if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`layers: ${LAYERS.map((names) => names.join(' ')).join(' → ')}: every import goes downward`);
