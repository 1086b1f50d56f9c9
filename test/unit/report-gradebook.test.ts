import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/basics/csv.js';
import { renderGradebook } from '../../src/report/gradebook-export.js';
import { FIXTURE_TITLE, HOSTILE, classFixture } from '../helpers/class-fixture.js';

function records(text: string): string[][] {
  return parseCsv(text).map((r) => r.fields);
}

describe('renderGradebook: canvas', () => {
  const text = renderGradebook(classFixture(), 'canvas');
  const [header, pointsPossible, ...students] = records(text);
  const byLogin = (login: string) => students.find((r) => r[3] === login)!;

  it('has Canvas headers, the rubric title as the grade column, and a Points Possible row', () => {
    expect(text.startsWith('\uFEFFStudent,ID,SIS User ID,SIS Login ID,Section,')).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(header).toEqual(['Student', 'ID', 'SIS User ID', 'SIS Login ID', 'Section', FIXTURE_TITLE]);
    expect(pointsPossible).toEqual(['Points Possible', '', '', '', '', '30']);
    expect(students).toHaveLength(10);
  });

  it('takes the grade column from options, e.g. to fill an existing assignment', () => {
    expect(records(renderGradebook(classFixture(), 'canvas', { column: 'HW1 (12345)' }))[0]![5]).toBe('HW1 (12345)');
  });

  it('names students "last, first", identifies them by SIS ids, and gives graded rows their points', () => {
    expect(students[0]).toEqual(['Anders, Alice', '', '', 'alice@example.edu', 'A', '30']);
    expect(byLogin('minjun@example.ac.kr')).toEqual(['김, 민준', '', '', 'minjun@example.ac.kr', '분반 1', '25']);
    expect(byLogin('grace@example.edu')).toEqual(['Hopper, Grace', '', '20230001', 'grace@example.edu', 'B', '25']);
    expect(byLogin('mallory@example.edu')![5]).toBe('12.5');
  });

  it('leaves the grade empty (unchanged in Canvas) for ungradable and missing rows, and gives no zero', () => {
    for (const login of ['bob@example.edu', 'carol@example.edu', 'dave@example.edu']) expect(byLogin(login)![5], login).toBe('');
    expect(students.map((r) => r[5])).toEqual(['30', '25', '12.5', '', '', '', '10', '', '2', '25']);
  });

  it('falls back to the username when the roster has no name or email', () => {
    const result = classFixture();
    const alice = result.students[0]!;
    delete alice.first_name;
    delete alice.last_name;
    delete alice.email;
    expect(records(renderGradebook(result, 'canvas'))[2]!.slice(0, 4)).toEqual(['alice', '', '', 'alice']);
  });

  it('keeps hostile names on one line and never as a formula', () => {
    const trent = students[7]!;
    expect(trent[0]).toBe(`${HOSTILE.backticks}, ${HOSTILE.mention.replace('\n', ' ')}`);
    expect(trent[4]).toBe(`'${HOSTILE.formulaSection}`);
    for (const row of students) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@]|\n/);
  });
});

describe('renderGradebook: moodle', () => {
  const text = renderGradebook(classFixture(), 'moodle', { column: 'Homework 1' });
  const [header, ...students] = records(text);

  it('has the columns Moodle maps on import, one row per student in roster order', () => {
    expect(text.startsWith('\uFEFFEmail address,Username,First name,Last name,Homework 1\r\n')).toBe(true);
    expect(header).toEqual(['Email address', 'Username', 'First name', 'Last name', 'Homework 1']);
    expect(students.map((r) => r[1])).toEqual(['alice', 'kim-minjun', 'mallory', 'bob', 'carol', 'dave', 'eve', 'trent', 'frank', 'grace']);
  });

  it('gives points to graded rows and an empty cell to the others', () => {
    expect(students[0]).toEqual(['alice@example.edu', 'alice', 'Alice', 'Anders', '30']);
    expect(students[1]).toEqual(['minjun@example.ac.kr', 'kim-minjun', '민준', '김', '25']);
    expect(students.map((r) => r[4])).toEqual(['30', '25', '12.5', '', '', '', '10', '', '2', '25']);
  });

  it('defaults the grade column to the rubric title and neutralises formulas', () => {
    const [defaultHeader, , , mallory] = records(renderGradebook(classFixture(), 'moodle'));
    expect(defaultHeader![4]).toBe(FIXTURE_TITLE);
    expect(mallory![2]).toBe(`'${HOSTILE.formula}`);
    expect(mallory![3]).toBe(HOSTILE.script);
  });
});
