/**
 * `grader class merge`: the output folders of a sharded class (one per matrix job) joined into
 * the output an unsharded run would have written.
 */
import { CLASS_SCHEMA, type ClassResult, type StudentRow } from '../basics/class-results.js';
import { UserError } from '../basics/errors.js';
import type { GradebookFormat } from '../report/gradebook-export.js';
import { prepareOutputFolder, readClassFile, writeClassViews, writeStudentFiles } from './class-output.js';

export interface MergeOutcome {
  result: ClassResult;
  files: string[];
  /** Shards (of K) none of the folders holds: their students are not in the merge. */
  missingShards: number[];
  /** K, when the folders are shards of K. */
  shardCount?: number;
}

export async function mergeClass(
  dirs: readonly string[],
  outDir: string,
  exports: readonly GradebookFormat[],
  now = new Date(),
): Promise<MergeOutcome> {
  if (dirs.length === 0) throw new UserError('class merge needs at least one output folder');
  const parts: { dir: string; result: ClassResult }[] = [];
  for (const dir of dirs) parts.push({ dir, result: (await readClassFile(dir, { required: true }))! });

  const first = parts[0]!;
  for (const part of parts.slice(1)) {
    const differs = (what: string) =>
      new UserError(
        `${part.dir} was graded with another ${what} than ${first.dir}: the shards of one class share roster, rubric, grader and deadline`,
      );
    if (part.result.rubric.digest !== first.result.rubric.digest) throw differs('rubric');
    if (part.result.grader_version !== first.result.grader_version) throw differs('grader version');
    if (part.result.roster.rows !== first.result.roster.rows || part.result.roster.file !== first.result.roster.file)
      throw differs('roster');
    if (part.result.deadline !== first.result.deadline) throw differs('deadline');
  }

  const students = new Map<string, StudentRow>();
  const from = new Map<string, string>();
  for (const { dir, result } of parts) {
    for (const row of result.students) {
      const earlier = from.get(row.username);
      if (earlier) throw new UserError(`${row.username} is in both ${earlier} and ${dir}: merge each shard once`);
      students.set(row.username, row);
      from.set(row.username, dir);
    }
  }

  const count = first.result.shard?.count;
  const present = new Set(parts.map((part) => part.result.shard?.index).filter((index) => index !== undefined));
  const missingShards = count ? Array.from({ length: count }, (_, i) => i + 1).filter((index) => !present.has(index)) : [];

  const { shard: _shard, ...common } = first.result;
  const result: ClassResult = {
    ...common,
    schema: CLASS_SCHEMA,
    generated_at: now.toISOString(),
    students: [...students.values()].sort((a, b) => a.index - b.index),
  };
  await prepareOutputFolder(outDir);
  await Promise.all(result.students.map((row) => writeStudentFiles(outDir, row)));
  const files = await writeClassViews(outDir, result, exports);
  return { result, files, missingShards, ...(count ? { shardCount: count } : {}) };
}
