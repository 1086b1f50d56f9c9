/**
 * Before anything is sent to the engine: find the Dockerfile and the context where
 * the rubric says, inside the submission, and explain clearly when they are not there.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { BuildOutcome } from '../engine/engine.js';
import { readCapped, resolveInRepo } from '../workspace/repo-path.js';

export interface BuildInputs {
  contextDir: string;
  /** Dockerfile path relative to the context, `/`-separated. */
  dockerfileInContext: string;
  dockerfileText: string;
}

const MAX_DOCKERFILE_BYTES = 1024 * 1024;

export async function locateBuildInputs(
  repoDir: string,
  dockerfile: string,
  context: string,
): Promise<BuildInputs | Extract<BuildOutcome, { ok: false }>> {
  const missing = (message: string) => ({ ok: false as const, reason: 'no-dockerfile' as const, message, logTail: '', durationMs: 0 });
  const contextPath = await resolveInRepo(repoDir, context);
  if (!contextPath.ok) return missing(`the build context "${context}" is not usable: ${contextPath.message}`);
  if (!contextPath.stats.isDirectory()) return missing(`the build context "${context}" is not a folder`);

  const file = await resolveInRepo(repoDir, dockerfile);
  if (!file.ok && file.reason === 'missing') {
    const near = await similarNames(repoDir, dockerfile);
    const hint = near.length ? ` Found ${near.map((n) => `"${n}"`).join(', ')} — the name must be exactly "${path.posix.basename(dockerfile)}".` : '';
    return missing(`no Dockerfile at "${dockerfile}" (looked in ${path.join(repoDir, path.dirname(dockerfile))}).${hint}`);
  }
  if (!file.ok) return missing(`the Dockerfile is not usable: ${file.message}`);
  if (!file.stats.isFile()) return missing(`"${dockerfile}" is not a file`);
  const { content } = await readCapped(file.absolute, MAX_DOCKERFILE_BYTES);
  const dockerfileInContext = path.relative(contextPath.absolute, file.absolute).split(path.sep).join('/');
  return { contextDir: contextPath.absolute, dockerfileInContext, dockerfileText: content.toString('utf8') };
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
