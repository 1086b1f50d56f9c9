import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/basics/csv.js';
import { renderGradesCsv } from '../../src/report/grades-csv.js';
import { FIXTURE_CHECKS, HOSTILE, classFixture } from '../helpers/class-fixture.js';

const FIXED = [
  'username',
  'first_name',
  'last_name',
  'email',
  'section',
  'repository',
  'commit',
  'committed_at',
  'pushed_at',
  'deadline_basis',
  'late',
  'late_minutes',
  'status',
  'score',
  'max_score',
  'percent',
  'passed',
];

/** The file read back as a spreadsheet would: one object per data row, keyed by header. */
function readBack(text: string): { header: string[]; rows: Record<string, string>[] } {
  const [header, ...records] = parseCsv(text).map((r) => r.fields);
  return {
    header: header!,
    rows: records.map((fields) => Object.fromEntries(header!.map((name, i) => [name, fields[i]!]))),
  };
}

describe('renderGradesCsv', () => {
  const text = renderGradesCsv(classFixture());
  const { header, rows } = readBack(text);
  const byUser = (username: string) => rows.find((r) => r.username === username)!;

  it('starts with a BOM, ends lines with CRLF, and has the fixed columns then one per check id', () => {
    expect(text.startsWith('\uFEFFusername,first_name,')).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(header).toEqual([...FIXED, ...FIXTURE_CHECKS.map((c) => c.id)]);
  });

  it('has one row per student in roster order, every row as wide as the header', () => {
    expect(rows.map((r) => r.username)).toEqual([
      'alice',
      'kim-minjun',
      'mallory',
      'bob',
      'carol',
      'dave',
      'eve',
      'trent',
      'frank',
      'grace',
    ]);
    for (const record of parseCsv(text)) expect(record.fields).toHaveLength(header.length);
  });

  it('keeps roster order even when the students come unordered', () => {
    const shuffled = classFixture();
    shuffled.students.reverse();
    expect(readBack(renderGradesCsv(shuffled)).rows.map((r) => r.username)).toEqual(rows.map((r) => r.username));
  });

  it('writes a full-marks row with numbers as numbers', () => {
    expect(byUser('alice')).toMatchObject({
      status: 'graded',
      score: '30',
      max_score: '30',
      percent: '100',
      passed: 'true',
      late: '',
      late_minutes: '',
      commit: 'a1'.repeat(20),
      committed_at: '2026-03-01T10:00:00Z',
      pushed_at: '2026-03-01T10:05:00Z',
      deadline_basis: 'push-time',
      'dockerfile-present': '2',
      builds: '8',
      'http-ping': '10',
    });
  });

  it('rounds percent to one decimal and keeps fractional points', () => {
    expect(byUser('mallory')).toMatchObject({ score: '12.5', percent: '41.7', passed: 'false', 'http-ping': '2.5', 'image-size': '0' });
    expect(byUser('kim-minjun')).toMatchObject({ score: '25', percent: '83.3', passed: 'true' });
    expect(byUser('frank')).toMatchObject({ percent: '6.7', builds: '0', deadline_basis: 'committer-date', pushed_at: '' });
  });

  it('leaves score, percent and check points empty for ungradable and missing rows, which never pass', () => {
    for (const username of ['bob', 'trent', 'carol', 'dave']) {
      const row = byUser(username);
      expect(row.score, username).toBe('');
      expect(row.percent, username).toBe('');
      expect(row.passed, username).toBe('false');
      expect(row.max_score, username).toBe('30');
      for (const check of FIXTURE_CHECKS) expect(row[check.id], `${username} ${check.id}`).toBe('');
    }
    // bob's run got as far as one passed check: still no points shown for an ungradable row.
    expect(byUser('bob').status).toBe('ungradable');
    expect(byUser('carol')).toMatchObject({ status: 'missing', repository: '', commit: '' });
  });

  it('says how late as a duration and in whole minutes', () => {
    expect(byUser('eve')).toMatchObject({ late: '2h 5m', late_minutes: '125', status: 'graded' });
    expect(byUser('dave')).toMatchObject({ late: '3d 4h', late_minutes: String((3 * 24 + 4) * 60), status: 'missing' });
  });

  it('rounds seconds of lateness up to a minute', () => {
    expect(byUser('mallory')).toMatchObject({ late: '1m', late_minutes: '1' });
  });

  it('keeps Korean names as they are', () => {
    expect(byUser('kim-minjun')).toMatchObject({ first_name: '민준', last_name: '김', section: '분반 1' });
    expect(text).toContain('민준,김');
  });

  it('writes cells a spreadsheet would run as formulas as text', () => {
    expect(byUser('mallory').first_name).toBe(`'${HOSTILE.formula}`);
    expect(byUser('trent').section).toBe(`'${HOSTILE.formulaSection}`);
    expect(byUser('trent').email).toBe(`'${HOSTILE.formulaEmail}`);
    expect(byUser('trent').first_name).toBe(`'${HOSTILE.mention}`); // `@` starts a formula too; the line break survives
    // Other hostile text survives exactly.
    expect(byUser('mallory').last_name).toBe(HOSTILE.script);
    expect(byUser('mallory').section).toBe(HOSTILE.pipes);
    expect(byUser('trent').last_name).toBe(HOSTILE.backticks);
    for (const record of parseCsv(text)) {
      for (const field of record.fields) expect(field, field).not.toMatch(/^[=+\-@]/);
    }
  });

  it('prefixes a check column whose id is also a fixed column name', () => {
    const result = classFixture();
    result.rubric.checks[1]!.id = 'status';
    for (const row of result.students) {
      const check = row.result?.checks.find((c) => c.id === 'builds');
      if (check) check.id = 'status';
    }
    const back = readBack(renderGradesCsv(result));
    expect(back.header).toContain('check:status');
    expect(back.header.filter((h) => h === 'status')).toHaveLength(1);
    expect(back.rows[0]).toMatchObject({ status: 'graded', 'check:status': '8' });
  });
});
