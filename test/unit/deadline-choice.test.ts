import { describe, expect, it } from 'vitest';
import { chooseByCommitterDate, chooseByPushTime, reachesDeadline, type BranchMove } from '../../src/workspace/deadline-choice.js';

const DEADLINE = new Date('2025-03-01T23:59:00Z');
const HOUR = 3_600_000;
const at = (offsetHours: number) => DEADLINE.getTime() + offsetHours * HOUR;
const sha = (c: string) => c.repeat(40);
const ZERO = sha('0');

/** Moves as the API lists them: newest first. */
function newestFirst(...moves: Array<[string, number]>): BranchMove[] {
  return moves.map(([after, hours]) => ({ after: sha(after), at: at(hours) })).sort((a, b) => b.at - a.at);
}

describe('chooseByPushTime', () => {
  it('takes the last push before the deadline and says how late the later one came', () => {
    const moves = newestFirst(['a', -48], ['b', -2], ['c', 3]);
    expect(chooseByPushTime(moves, DEADLINE)).toEqual({ found: true, commit: sha('b'), at: at(-2), lateMs: 3 * HOUR });
  });

  it('is not late when nothing came after the deadline', () => {
    expect(chooseByPushTime(newestFirst(['a', -5], ['b', -1]), DEADLINE)).toEqual({ found: true, commit: sha('b'), at: at(-1) });
  });

  it('counts a push exactly at the deadline as on time', () => {
    expect(chooseByPushTime(newestFirst(['a', -1], ['b', 0]), DEADLINE)).toEqual({ found: true, commit: sha('b'), at: at(0) });
  });

  it('measures lateness from the newest push after the deadline', () => {
    const choice = chooseByPushTime(newestFirst(['a', -1], ['b', 1], ['c', 26]), DEADLINE);
    expect(choice).toMatchObject({ found: true, commit: sha('a'), lateMs: 26 * HOUR });
  });

  it('follows a force push that rewrote the branch before the deadline', () => {
    // c replaced b (b is no longer an ancestor): the branch pointed at c when the deadline came.
    const moves = newestFirst(['a', -10], ['b', -5], ['c', -1]);
    expect(chooseByPushTime(moves, DEADLINE)).toMatchObject({ found: true, commit: sha('c') });
  });

  it('ignores a force push after the deadline that rewrote history to look older', () => {
    // Committer dates cannot make d count: it was pushed after the deadline.
    const moves = newestFirst(['a', -10], ['d', 2]);
    expect(chooseByPushTime(moves, DEADLINE)).toEqual({ found: true, commit: sha('a'), at: at(-10), lateMs: 2 * HOUR });
  });

  it('finds nothing when the first push came after the deadline, and says how late', () => {
    expect(chooseByPushTime(newestFirst(['a', 4]), DEADLINE)).toEqual({ found: false, why: 'nothing-before-deadline', lateMs: 4 * HOUR });
  });

  it('finds nothing when there was no activity at all', () => {
    expect(chooseByPushTime([], DEADLINE)).toEqual({ found: false, why: 'nothing-before-deadline' });
  });

  it('finds nothing when the branch was deleted before the deadline', () => {
    const moves = newestFirst(['a', -10], ['0', -3]);
    expect(chooseByPushTime(moves, DEADLINE)).toEqual({ found: false, why: 'deleted-before-deadline' });
  });

  it('takes the re-created branch when it came back before the deadline', () => {
    const moves = newestFirst(['a', -10], ['0', -3], ['b', -2]);
    expect(chooseByPushTime(moves, DEADLINE)).toMatchObject({ found: true, commit: sha('b') });
  });

  it('does not call a deletion after the deadline late work', () => {
    const moves = newestFirst(['a', -10], ['0', 3]);
    expect(chooseByPushTime(moves, DEADLINE)).toEqual({ found: true, commit: sha('a'), at: at(-10) });
  });

  it('does not call putting back the graded commit late work', () => {
    const moves = newestFirst(['a', -10], ['0', 3], ['a', 4]);
    expect(chooseByPushTime(moves, DEADLINE)).toEqual({ found: true, commit: sha('a'), at: at(-10) });
  });

  it('takes the first listed of moves recorded at the same second (the API lists newest first)', () => {
    const moves: BranchMove[] = [
      { after: sha('b'), at: at(-1) },
      { after: sha('a'), at: at(-1) },
    ];
    expect(chooseByPushTime(moves, DEADLINE)).toMatchObject({ commit: sha('b') });
  });

  it('does not depend on the moves being sorted', () => {
    const moves = [...newestFirst(['a', -48], ['b', -2], ['c', 3])].reverse();
    expect(chooseByPushTime(moves, DEADLINE)).toMatchObject({ commit: sha('b'), lateMs: 3 * HOUR });
  });

  it('sees the all-zero name of a deletion whatever its length', () => {
    expect(chooseByPushTime([{ after: '0'.repeat(64), at: at(-1) }], DEADLINE)).toMatchObject({ found: false });
    expect(chooseByPushTime([{ after: ZERO, at: at(-1) }], DEADLINE)).toMatchObject({ why: 'deleted-before-deadline' });
  });
});

describe('reachesDeadline (when paging can stop)', () => {
  it('stops at the first page that holds a move at or before the deadline', () => {
    const pages = [newestFirst(['e', 9], ['d', 5]), newestFirst(['c', 1], ['b', 0]), newestFirst(['a', -4])];
    expect(pages.map((p) => reachesDeadline(p, DEADLINE))).toEqual([false, true, true]);
    const read = [...pages[0]!, ...pages[1]!];
    // What the pages read so far give is what all of them give.
    expect(chooseByPushTime(read, DEADLINE)).toEqual(chooseByPushTime(pages.flat(), DEADLINE));
    expect(chooseByPushTime(read, DEADLINE)).toMatchObject({ commit: sha('b'), lateMs: 9 * HOUR });
  });

  it('keeps paging through a page of later moves only', () => {
    expect(reachesDeadline([], DEADLINE)).toBe(false);
    expect(reachesDeadline(newestFirst(['b', 0.01]), DEADLINE)).toBe(false);
  });
});

describe('chooseByCommitterDate', () => {
  const chain = (...commits: Array<[string, number]>) => commits.map(([c, hours]) => ({ commit: sha(c), at: at(hours) }));

  it('takes the first commit of the chain dated at or before the deadline', () => {
    expect(chooseByCommitterDate(chain(['c', 5], ['b', 0], ['a', -3]), DEADLINE)).toEqual({
      found: true,
      commit: sha('b'),
      at: at(0),
      lateMs: 5 * HOUR,
    });
  });

  it('takes the head when it is on time', () => {
    expect(chooseByCommitterDate(chain(['b', -1], ['a', -3]), DEADLINE)).toEqual({ found: true, commit: sha('b'), at: at(-1) });
  });

  it('measures lateness from the newest date above the chosen commit, whatever their order', () => {
    // Committer dates need not grow along the chain (rebases, clocks, forgery).
    expect(chooseByCommitterDate(chain(['d', 2], ['c', 7], ['b', -1], ['a', 9]), DEADLINE)).toMatchObject({
      commit: sha('b'),
      lateMs: 7 * HOUR,
    });
  });

  it('believes a forged date: a commit made late but dated early is chosen', () => {
    // This is why GitHub repositories are judged by push time instead.
    expect(chooseByCommitterDate(chain(['f', -0.5], ['a', -3]), DEADLINE)).toEqual({ found: true, commit: sha('f'), at: at(-0.5) });
  });

  it('finds nothing when every commit is dated after the deadline', () => {
    expect(chooseByCommitterDate(chain(['b', 3], ['a', 1]), DEADLINE)).toEqual({
      found: false,
      why: 'nothing-before-deadline',
      lateMs: 3 * HOUR,
    });
    expect(chooseByCommitterDate([], DEADLINE)).toEqual({ found: false, why: 'nothing-before-deadline' });
  });
});
