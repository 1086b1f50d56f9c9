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
  if (!contextPath.ok) return missing(`the build context "${context}" is not usable: ${contextPath.message}`);
  if (!contextPath.stats.isDirectory()) return missing(`the build context "${context}" is not a folder`);

  const file = await resolveInRepo(repoDir, dockerfile);
  if (!file.ok && file.reason === 'missing') {
    const near = await similarNames(repoDir, dockerfile);
    const hint = near.length
      ? ` Found ${near.map((n) => `"${n}"`).join(', ')} — the name must be exactly "${path.posix.basename(dockerfile)}".`
      : '';
    return missing(`no Dockerfile at "${dockerfile}" (looked in ${path.join(repoDir, path.dirname(dockerfile))}).${hint}`);
  }
  if (!file.ok) return missing(`the Dockerfile is not usable: ${file.message}`);
  const read = await readRegularFile(file.absolute, DOCKERFILE_LIMITS.bytes);
  if (read.kind !== 'file') return missing(`"${dockerfile}" is not a file`);
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
