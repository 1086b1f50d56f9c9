import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ClassResult } from '../../src/basics/class-results.js';
import { readClassFile, writeClassFile } from '../../src/class/class-output.js';
import { mergeClass } from '../../src/class/merge-class.js';
import { inShard } from '../../src/class/shard.js';
import { classFixture } from '../helpers/class-fixture.js';
import { tempDir } from '../helpers/git-repos.js';

const made: { remove(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(made.splice(0).map((t) => t.remove()));
});

async function folder(): Promise<string> {
  const temp = await tempDir('grader-merge-');
  made.push(temp);
  return temp.dir;
}

/** The fixture class cut into K shard folders, as K sharded runs would write them. */
async function shards(whole: ClassResult, count: number): Promise<string[]> {
  const dirs: string[] = [];
  for (let index = 1; index <= count; index++) {
    const dir = await folder();
    await writeClassFile(dir, {
      ...whole,
      shard: { index, count },
      students: whole.students.filter((row) => inShard(row.username, { index, count })),
    });
    dirs.push(dir);
  }
  return dirs;
}

describe('class merge', () => {
  it('joins shards into the unsharded class, in roster order, with every view and student file', async () => {
    const whole = classFixture();
    const out = await folder();
    const { result, files, missingShards } = await mergeClass(await shards(whole, 3), out, ['canvas']);
    expect(missingShards).toEqual([]);
    expect(result.shard).toBeUndefined();
    expect(result.students).toEqual(whole.students);
    expect(files.sort()).toEqual(['canvas.csv', 'class.json', 'grades.csv', 'index.html', 'summary.md']);
    for (const row of whole.students) expect(existsSync(path.join(out, 'students', `${row.username}.md`))).toBe(true);
    expect(JSON.parse(readFileSync(path.join(out, 'class.json'), 'utf8')).students).toEqual(whole.students);
  });

  it('says which shards are missing', async () => {
    const dirs = await shards(classFixture(), 3);
    const { missingShards, shardCount } = await mergeClass([dirs[0]!, dirs[2]!], await folder(), []);
    expect(missingShards).toEqual([2]);
    expect(shardCount).toBe(3);
  });

  it('refuses shards of different classes and a shard given twice', async () => {
    const whole = classFixture();
    const [a, b] = await shards(whole, 2);
    const other = await folder();
    await writeClassFile(other, {
      ...whole,
      rubric: { ...whole.rubric, digest: 'sha256:other' },
      shard: { index: 2, count: 2 },
      students: [],
    });
    await expect(mergeClass([a!, other], await folder(), [])).rejects.toThrow(/another rubric/);
    await expect(mergeClass([a!, a!], await folder(), [])).rejects.toThrow(/in both/);
    await expect(mergeClass([b!, path.join(other, 'nowhere')], await folder(), [])).rejects.toThrow(/cannot read/);
  });
});

describe('class.json as read back', () => {
  it('refuses a file that is not a class result, or names a student unsafely', async () => {
    const dir = await folder();
    expect(await readClassFile(dir, { required: false })).toBeUndefined();
    await writeFile(path.join(dir, 'class.json'), '{"schema":"something else"}');
    await expect(readClassFile(dir, { required: false })).rejects.toThrow(/not a grader class result/);
    await writeFile(path.join(dir, 'class.json'), 'not json');
    await expect(readClassFile(dir, { required: false })).rejects.toThrow(/not valid JSON/);
    const whole = classFixture();
    await mkdir(dir, { recursive: true });
    await writeClassFile(dir, { ...whole, students: [{ ...whole.students[0]!, username: '../../etc/cron.d/x' }] });
    await expect(readClassFile(dir, { required: false })).rejects.toThrow(/cannot name a file/);
  });
});
