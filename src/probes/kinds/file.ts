/** `file`: a file in the repo (never read through a symlink out of it) or in the built image (through the engine's archive API). */
import path from 'node:path';
import type { Check, FileSpec } from '../../rubric/model.js';
import { OUTPUT_CAP_BYTES } from '../../engine/engine.js';
import { requireImage } from '../context.js';
import { headForDisplay } from '../display.js';
import { matchText } from '../matcher.js';
import type { Probe, ProbeContext, ProbeOutcome } from '../probe.js';
import { readRegularFile } from '../../basics/read-file.js';
import { resolveInRepo } from '../../workspace/repo-path.js';

type Read = { ok: true; content: Buffer; truncated: boolean; where: string } | { ok: false; outcome: ProbeOutcome };

export const fileProbe: Probe<FileSpec> = {
  kind: 'file',
  stage: (spec) => (spec.in === 'image' ? 'image' : 'repo'),
  schedule: 'concurrent',
  defaultTimeoutMs: 10_000,
  async run(check: Check<FileSpec>, ctx: ProbeContext): Promise<ProbeOutcome> {
    const { spec } = check;
    const read = spec.in === 'image' ? await readFromImage(spec.path, ctx) : await readFromRepo(spec.path, ctx);
    if (!read.ok) return read.outcome;
    const location = spec.in === 'repo' ? [{ path: path.posix.normalize(spec.path.replaceAll('\\', '/')), line: 1 }] : undefined;
    if (!spec.content) {
      return { status: 'passed', message: `${read.where} exists`, ...(location ? { locations: location } : {}) };
    }
    const text = new TextDecoder('utf-8').decode(read.content);
    const result = matchText(spec.content, text);
    const cut = read.truncated ? ` (only its first ${OUTPUT_CAP_BYTES} bytes were read)` : '';
    return {
      status: result.ok ? 'passed' : 'failed',
      message: result.ok ? `${read.where} ${result.expected}` : `${read.where} ${result.failures.join('; ')}${cut}`,
      expected: result.expected,
      output: headForDisplay(text),
      ...(location ? { locations: location } : {}),
    };
  },
};

async function readFromRepo(relative: string, ctx: ProbeContext): Promise<Read> {
  const resolved = await resolveInRepo(ctx.repoDir, relative);
  if (!resolved.ok) return { ok: false, outcome: { status: 'failed', message: resolved.message } };
  if (!resolved.stats.isFile()) {
    const what = resolved.stats.isDirectory() ? 'a directory' : 'not a regular file';
    return { ok: false, outcome: { status: 'failed', message: `${relative} is ${what}, expected a file` } };
  }
  const read = await readRegularFile(resolved.absolute, OUTPUT_CAP_BYTES);
  // Removed or swapped for something else since it was looked at.
  if (read.kind === 'missing') return { ok: false, outcome: { status: 'failed', message: `${relative} does not exist in the repository` } };
  if (read.kind === 'other') return { ok: false, outcome: { status: 'failed', message: `${relative} is ${read.type}, expected a file` } };
  return { ok: true, content: read.content, truncated: read.truncated, where: relative };
}

async function readFromImage(filePath: string, ctx: ProbeContext): Promise<Read> {
  const image = requireImage(ctx);
  // A relative path means "relative to the image's WORKDIR", as it would inside the container.
  const absolute = path.posix.resolve(image.info.workdir || '/', filePath);
  const file = await ctx.engine.readImageFile(image.ref, absolute, OUTPUT_CAP_BYTES);
  const where = `${absolute} in the image`;
  if (file.kind === 'missing') return { ok: false, outcome: { status: 'failed', message: `${where} does not exist` } };
  if (file.kind === 'other') {
    return { ok: false, outcome: { status: 'failed', message: `${where} is a ${file.type}, expected a regular file` } };
  }
  return { ok: true, content: file.content, truncated: file.truncated, where };
}
