/**
 * Before anything is sent to the engine: find the Dockerfile and the context where
 * the rubric says, inside the submission, and explain clearly when they are not there.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { BuildOutcome } from '../engine/engine.js';
import { readRepoFile, resolveInside } from '../workspace/repo-files.js';

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
  const contextPath = await resolveInside(repoDir, context);
  if ('missing' in contextPath) return missing(`the build context "${context}" does not exist in the submission`);
  if ('outside' in contextPath) return missing(`the build context "${context}" points outside the submission`);

  const file = await readRepoFile(repoDir, dockerfile, MAX_DOCKERFILE_BYTES);
  if (file.kind === 'outside') return missing(`${dockerfile} is a link to ${file.target}, outside the submission`);
  if (file.kind === 'other') return missing(`${dockerfile} is a ${file.type}, not a file`);
  if (file.kind === 'missing') {
    const near = await similarNames(repoDir, dockerfile);
    const hint = near.length ? ` Found ${near.map((n) => `"${n}"`).join(', ')} — the name must be exactly "${path.posix.basename(dockerfile)}".` : '';
    return missing(`no Dockerfile at "${dockerfile}" (looked in ${path.join(repoDir, path.dirname(dockerfile))}).${hint}`);
  }
  const dockerfileInContext = path.relative(contextPath.path, file.realPath).split(path.sep).join('/');
  return { contextDir: contextPath.path, dockerfileInContext, dockerfileText: file.content.toString('utf8') };
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
