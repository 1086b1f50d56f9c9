/** `file`: a file in the repo (never read through a symlink out of it) or in the built image (through the engine's archive API). */
import path from 'node:path';
import { t } from '../../basics/i18n/catalogue.js';
import type { Check, FileSpec } from '../../rubric/model.js';
import { OUTPUT_CAP_BYTES } from '../../engine/engine.js';
import { requireImage } from '../context.js';
import { headForDisplay, joinClauses } from '../display.js';
import { describeImageEntryType } from '../file-type.js';
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
      return { status: 'passed', message: t('probe.file.exists', { where: read.where }), ...(location ? { locations: location } : {}) };
    }
    const text = new TextDecoder('utf-8').decode(read.content);
    const result = matchText(spec.content, text);
    const { where } = read;
    const failures = joinClauses(result.failures);
    return {
      status: result.ok ? 'passed' : 'failed',
      message: result.ok
        ? t('probe.file.matches', { where, expected: result.expected })
        : read.truncated
          ? t('probe.file.mismatch_cut', { where, failures, bytes: OUTPUT_CAP_BYTES })
          : t('probe.file.mismatch', { where, failures }),
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
    const message = resolved.stats.isDirectory()
      ? t('probe.file.is_directory', { path: relative })
      : t('probe.file.not_regular', { path: relative });
    return { ok: false, outcome: { status: 'failed', message } };
  }
  const read = await readRegularFile(resolved.absolute, OUTPUT_CAP_BYTES);
  // Removed or swapped for something else since it was looked at.
  if (read.kind === 'missing')
    return { ok: false, outcome: { status: 'failed', message: t('workspace.path.missing', { path: relative }) } };
  if (read.kind === 'other') {
    return { ok: false, outcome: { status: 'failed', message: t('probe.file.other_type', { path: relative, type: read.type }) } };
  }
  return { ok: true, content: read.content, truncated: read.truncated, where: relative };
}

async function readFromImage(filePath: string, ctx: ProbeContext): Promise<Read> {
  const image = requireImage(ctx);
  // A relative path means "relative to the image's WORKDIR", as it would inside the container.
  const absolute = path.posix.resolve(image.info.workdir || '/', filePath);
  const file = await ctx.engine.readImageFile(image.ref, absolute, OUTPUT_CAP_BYTES);
  const where = t('probe.file.in_image', { path: absolute });
  if (file.kind === 'missing') return { ok: false, outcome: { status: 'failed', message: t('probe.file.image_missing', { where }) } };
  if (file.kind === 'other') {
    const type = describeImageEntryType(file.type);
    return { ok: false, outcome: { status: 'failed', message: t('probe.file.image_not_regular', { where, type }) } };
  }
  return { ok: true, content: file.content, truncated: file.truncated, where };
}
