import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/basics/errors.js';
import { isSafeUsername, MAX_ROSTER_BYTES, parseRoster, readRoster } from '../../src/class/roster.js';
import type { RosterOptions } from '../../src/class/roster.js';

const fixtures = path.resolve(import.meta.dirname, '../fixtures/rosters');

/** The UserError message parseRoster throws for `text` (fails the test when it parses). */
function problem(text: string, options?: RosterOptions): string {
  try {
    parseRoster(text, 'roster.csv', options);
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return (error as Error).message;
  }
  throw new Error('the roster parsed');
}

describe('readRoster: the three formats', () => {
  it('reads a grader roster: repositories as given, an empty one stays missing', async () => {
    const roster = await readRoster(path.join(fixtures, 'grader.csv'));
    expect(roster.format).toBe('grader');
    expect(roster.entries).toEqual([
      { line: 2, username: 'alice', repository: 'course-org/hw1-alice', first_name: 'Alice', last_name: 'Liddell', section: 'A' },
      { line: 3, username: 'bob', first_name: 'Bob', last_name: 'Builder', section: 'B' },
      { line: 4, username: 'carol', repository: './submissions/carol', first_name: 'Carol', last_name: 'Danvers', section: 'A' },
    ]);
  });

  it('fills the empty repository of a grader roster from --repo, and keeps the given ones', async () => {
    const roster = await readRoster(path.join(fixtures, 'grader.csv'), { repoPattern: 'course-org/hw1-{username}' });
    expect(roster.entries.map((e) => e.repository)).toEqual(['course-org/hw1-alice', 'course-org/hw1-bob', './submissions/carol']);
  });

  it('reads a Classroom 50 roster with --repo', async () => {
    const roster = await readRoster(path.join(fixtures, 'classroom50.csv'), { repoPattern: 'https://github.com/cs50/{username}-hw1.git' });
    expect(roster.format).toBe('classroom50');
    expect(roster.entries[1]).toEqual({
      line: 3,
      username: 'bob',
      first_name: 'Bob',
      last_name: 'Builder',
      email: 'bob@example.edu',
      section: 'B',
      github_id: '102',
      repository: 'https://github.com/cs50/bob-hw1.git',
    });
  });

  it("reads gh classroom's assignment-grades CSV, ignoring its other columns", async () => {
    const roster = await readRoster(path.join(fixtures, 'gh-classroom-grades.csv'));
    expect(roster.format).toBe('gh-classroom');
    expect(roster.entries).toEqual([
      { line: 2, username: 'alice', roster_identifier: '20240001', repository: 'https://github.com/course-org/hw1-alice' },
      { line: 3, username: 'bob', roster_identifier: '20240002', repository: 'https://github.com/course-org/hw1-bob' },
    ]);
  });

  it('keeps Korean names from a file with a byte order mark, CRLF line ends and a quoted comma', async () => {
    const roster = await readRoster(path.join(fixtures, 'korean-bom-crlf.csv'), { repoPattern: 'org/hw-{username}' });
    expect(roster.format).toBe('classroom50');
    expect(roster.entries.map((e) => [e.line, e.username, e.last_name, e.first_name, e.section, e.repository])).toEqual([
      [2, 'minji', '김', '민지', '월요일', 'org/hw-minji'],
      [3, '철수', '이', '철수', '화, 목', 'org/hw-철수'],
    ]);
  });
});

describe('parseRoster: reading cells', () => {
  it('takes header names in any case, order and spacing, trims cells, and ignores unknown columns', () => {
    const roster = parseRoster(' Repository ,notes,USERNAME\r\n  org/a  ,"=cmd|\' /C calc\'!A0", Alice \r\n', 'r.csv');
    expect(roster.format).toBe('grader');
    expect(roster.entries).toEqual([{ line: 2, username: 'Alice', repository: 'org/a' }]);
  });

  it('keeps hostile names as data', () => {
    const roster = parseRoster('username,repository,first_name\nbob,org/b,"=HYPERLINK(""x"")<script>\u0007"\n', 'r.csv');
    expect(roster.entries[0]!.first_name).toBe('=HYPERLINK("x")<script>\u0007');
  });

  it('counts lines of quoted fields holding line breaks, and skips blank lines', () => {
    const text = 'username,repository,last_name\n\n"alice",org/a,"two\nlines"\n\nbob,org/b,Kim\n';
    expect(parseRoster(text, 'r.csv').entries.map((e) => [e.line, e.username, e.last_name])).toEqual([
      [3, 'alice', 'two\nlines'],
      [6, 'bob', 'Kim'],
    ]);
  });

  it('accepts a header with only a username column when --repo gives the repositories', () => {
    expect(parseRoster('username\nalice\n', 'r.csv', { repoPattern: ' org/{username}-{username} ' }).entries).toEqual([
      { line: 2, username: 'alice', repository: 'org/alice-alice' },
    ]);
  });

  it('takes usernames of any script with dots, dashes and underscores', () => {
    const names = ['octo-cat', 'a.b_c', '_x', 'Zoë', 'أحمد', 'ユーザー1', 'x'.repeat(100)];
    const text = `username,repository\n${names.map((n) => `${n},org/r`).join('\n')}\n`;
    expect(parseRoster(text, 'r.csv').entries.map((e) => e.username)).toEqual(names);
  });
});

describe('parseRoster: problems name the file and the line', () => {
  it('refuses a header it does not know, listing the ones it accepts', () => {
    const message = problem('\nname,repo\nalice,org/a\n');
    expect(message).toMatch(/^roster\.csv:2: the header is none/);
    expect(message).toContain('username,repository');
    expect(message).toContain('github_username');
    expect(problem('username;repository\nalice;org/a\n')).toContain('separated by commas, not semicolons');
  });

  it('refuses an empty file and a roster without students', () => {
    expect(problem('')).toMatch(/^roster\.csv: the roster is empty/);
    expect(problem('\uFEFF\r\n')).toMatch(/^roster\.csv: the roster is empty/);
    expect(problem('username,repository\n')).toBe('roster.csv:1: the roster has a header but no students');
  });

  it('reports a CSV syntax error at its line', () => {
    expect(problem('username,repository\nalice,org/a\nbob,"org/b\n')).toMatch(/^roster\.csv:3: a quoted field is never closed/);
    expect(problem('username,repository\nal"ice,org/a\n')).toMatch(/^roster\.csv:2: a quote inside/);
  });

  it('refuses a roster without a repository column unless --repo is given', () => {
    expect(problem('username,first_name,last_name,email,section\nalice,A,L,a@x,1\n')).toMatch(
      /^roster\.csv:1: .*no repository column; give --repo/,
    );
    expect(problem('github_username,roster_identifier\nalice,1\n')).toMatch(/^roster\.csv:1: .*give --repo/);
  });

  it('reports every bad row at once, each with its line', () => {
    const text = [
      'username,repository',
      'alice,org/a',
      ',org/empty',
      'Alice,org/again',
      'bob',
      '../etc,org/x',
      '.hidden,org/x',
      '-rf,org/x',
      'a/b,org/x',
      'tab\there,org/x',
      'x'.repeat(101) + ',org/x',
      'carol,--upload-pack=touch /tmp/pwned',
      'dave,"org/d\nx"',
    ].join('\n');
    expect(problem(text).split('\n')).toEqual([
      'roster.csv:3: empty username',
      'roster.csv:4: duplicate username "Alice" (first on line 2)',
      'roster.csv:5: the row has 1 fields, the header has 2',
      expect.stringMatching(/^roster\.csv:6: the username "\.\.\/etc" cannot be a file name/),
      expect.stringMatching(/^roster\.csv:7: the username "\.hidden" cannot/),
      expect.stringMatching(/^roster\.csv:8: the username "-rf" cannot/),
      expect.stringMatching(/^roster\.csv:9: the username "a\/b" cannot/),
      expect.stringMatching(/^roster\.csv:10: the username "tab\\there" cannot/),
      expect.stringMatching(/^roster\.csv:11: the username "x+…" is longer than 100 characters$/),
      'roster.csv:12: the repository "--upload-pack=touch /tmp/pwned" starts with "-"',
      // one more than the ten shown
      'roster.csv: …and 1 more problems',
    ]);
  });

  it('finds duplicates whatever their case or Unicode normalisation', () => {
    expect(problem('username,repository\nJosé,org/a\nJOSE\u0301,org/b\n')).toBe(
      'roster.csv:3: duplicate username "JOSE\u0301" (first on line 2)',
    );
  });

  it('refuses a header naming one column twice', () => {
    expect(problem('username,repository,Username\nalice,org/a,x\n')).toBe(
      'roster.csv:1: the column "username" appears twice in the header',
    );
  });
});

describe('parseRoster: --repo', () => {
  it('refuses a pattern without {username}: every student would share one repository', () => {
    expect(problem('username\nalice\n', { repoPattern: 'org/hw1' })).toMatch(/^--repo "org\/hw1" has no \{username\}/);
  });

  it('refuses any other placeholder or stray brace', () => {
    expect(problem('username\nalice\n', { repoPattern: 'org/{user}-{username}' })).toContain('"{user}" is not a placeholder');
    expect(problem('username\nalice\n', { repoPattern: 'org/{USERNAME}' })).toContain('"{USERNAME}" is not a placeholder');
    expect(problem('username\nalice\n', { repoPattern: 'org/{username}}' })).toContain('"}" is not a placeholder');
  });
});

describe('readRoster: the file', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'grader-roster-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('names a file it cannot read', async () => {
    const missing = path.join(dir, 'nope.csv');
    await expect(readRoster(missing)).rejects.toThrow(new UserError(`${missing}: cannot read the roster: no such file`));
    await expect(readRoster(dir)).rejects.toThrow(new UserError(`${dir}: cannot read the roster: it is a folder, not a file`));
  });

  it('refuses a file over 5 MiB', async () => {
    const big = path.join(dir, 'big.csv');
    await writeFile(big, `username,repository\n${'a,b\n'.repeat(MAX_ROSTER_BYTES / 4)}`);
    await expect(readRoster(big)).rejects.toThrow(new UserError(`${big}: the roster is larger than 5 MiB`));
  });

  it('refuses text that is not UTF-8, at the line of the first bad byte', async () => {
    const legacy = path.join(dir, 'cp949.csv');
    // 김 in the Korean legacy code page, as a spreadsheet may save it
    await writeFile(
      legacy,
      Buffer.concat([Buffer.from('username,repository\nalice,org/a\n'), Buffer.from([0xb1, 0xe8]), Buffer.from(',org/b\n')]),
    );
    await expect(readRoster(legacy)).rejects.toThrow(new UserError(`${legacy}:3: the roster is not UTF-8 text; save it as "CSV UTF-8"`));
  });
});

describe('isSafeUsername', () => {
  it('says whether a username can name a file as it is', () => {
    for (const name of ['alice', '철수', 'a.b-c_d', 'x'.repeat(100)]) expect(isSafeUsername(name)).toBe(true);
    for (const name of ['', '.', '..', 'a..b', '.x', '-x', 'a/b', 'a\\b', 'a\nb', 'a b', 'x'.repeat(101)])
      expect(isSafeUsername(name)).toBe(false);
  });
});
