/** Throw-away submissions for integration tests: a folder with a Dockerfile and files. */
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface TempSubmission {
  dir: string;
  remove(): Promise<void>;
}

/** Files ending in `.sh` are made executable. */
export async function makeSubmission(files: Record<string, string>): Promise<TempSubmission> {
  const dir = await mkdtemp(path.join(tmpdir(), 'grader-submission-test-'));
  for (const [file, content] of Object.entries(files)) {
    const target = path.join(dir, file);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, content);
    if (file.endsWith('.sh')) await chmod(target, 0o755);
  }
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export async function writeRubric(dir: string, text: string): Promise<string> {
  const file = path.join(dir, 'rubric.yml');
  await writeFile(file, text);
  return file;
}
