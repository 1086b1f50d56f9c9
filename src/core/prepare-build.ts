/**
 * Before anything is sent to the engine: find the Dockerfile and the context where
 * the rubric says, inside the submission, read the Dockerfile once (what is read is
 * what is built), and explain clearly when something is not there or not acceptable.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { BuildOutcome } from '../engine/engine.js';
import type { DockerfileModel } from '../probes/dockerfile/model.js';
import { parseDockerfile } from '../probes/dockerfile/model.js';
import { t } from '../basics/i18n/catalogue.js';
import { readRegularFile } from '../basics/read-file.js';
import { resolveInRepo } from '../workspace/repo-path.js';
import { DOCKERFILE_LIMITS, oversizeDockerfileMessage } from './dockerfile-limits.js';

export interface BuildInputs {
  ok: true;
  contextDir: string;
  /** Dockerfile path relative to the context, `/`-separated. */
  dockerfileInContext: string;
  /** The Dockerfile as read: the static checks and the build both use exactly this. */
  dockerfile: DockerfileModel;
}

export type BuildInputFailure = Extract<BuildOutcome, { ok: false }>;

/** `dockerfilePath` is the rubric's path, normalised: where SourceLocations point. */
export async function locateBuildInputs(
  repoDir: string,
  dockerfile: string,
  context: string,
  dockerfilePath: string,
): Promise<BuildInputs | BuildInputFailure> {
  const failure = (reason: 'no-dockerfile' | 'refused', message: string): BuildInputFailure => ({
    ok: false,
    reason,
    message,
    logTail: '',
    durationMs: 0,
  });
  const missing = (message: string) => failure('no-dockerfile', message);
  const contextPath = await resolveInRepo(repoDir, context);
  if (!contextPath.ok) return missing(t('core.build.context_unusable', { context, reason: contextPath.message }));
  if (!contextPath.stats.isDirectory()) return missing(t('core.build.context_not_folder', { context }));

  const file = await resolveInRepo(repoDir, dockerfile);
  if (!file.ok && file.reason === 'missing') {
    const near = await similarNames(repoDir, dockerfile);
    const where = { path: dockerfile, dir: path.join(repoDir, path.dirname(dockerfile)) };
    if (near.length === 0) return missing(t('core.build.no_dockerfile', where));
    const names = near.map((n) => `"${n}"`).join(', ');
    return missing(t('core.build.no_dockerfile_similar', { ...where, names, name: path.posix.basename(dockerfile) }));
  }
  if (!file.ok) return missing(t('core.build.dockerfile_unusable', { reason: file.message }));
  const read = await readRegularFile(file.absolute, DOCKERFILE_LIMITS.bytes);
  if (read.kind !== 'file') return missing(t('core.build.dockerfile_not_file', { path: dockerfile }));
  if (read.truncated) return failure('refused', oversizeDockerfileMessage(dockerfile));
  const dockerfileInContext = path.relative(contextPath.absolute, file.absolute).split(path.sep).join('/');
  return {
    ok: true,
    contextDir: contextPath.absolute,
    dockerfileInContext,
    dockerfile: parseDockerfile(read.content.toString('utf8'), dockerfilePath),
  };
}

/** Files next to where the Dockerfile should be whose names differ only in case or by an extension. */
async function similarNames(repoDir: string, dockerfile: string): Promise<string[]> {
  const dir = path.posix.dirname(dockerfile);
  const wanted = path.posix.basename(dockerfile).toLowerCase();
  const entries = await readdir(path.join(repoDir, dir)).catch(() => [] as string[]);
  return entries
    .filter((name) => name.toLowerCase() === wanted || name.toLowerCase().startsWith(`${wanted}.`))
    .map((name) => path.posix.join(dir, name).replace(/^\.\//, ''));
}
