/**
 * Which commit was on a branch at a deadline. Two sources, two functions: the branch's moves
 * as the server recorded them (push times, which a student cannot forge), or the commits'
 * own committer dates (which anyone can set). Pure.
 */

/** One move of a branch head: a push, a force push, a merge, the branch's creation or deletion. */
export interface BranchMove {
  /** The commit the branch pointed at afterwards; all zeros when the move deleted it. */
  after: string;
  /** When the server recorded the move, in ms since the epoch. */
  at: number;
}

/** One commit of a branch's first-parent chain. */
export interface DatedCommit {
  commit: string;
  /** Committer date, in ms since the epoch. */
  at: number;
}

export type DeadlineChoice =
  | {
      found: true;
      commit: string;
      /** When the commit got on the branch (push time) or was committed (committer date), in ms. */
      at: number;
      /** How long after the deadline the newest later work came, when any did. */
      lateMs?: number;
    }
  | { found: false; why: 'nothing-before-deadline' | 'deleted-before-deadline'; lateMs?: number };

/** The all-zero object name a deleted (or not yet created) branch points at. */
export function isNoCommit(sha: string): boolean {
  return /^0+$/.test(sha);
}

/**
 * The commit the branch pointed at when the deadline came: the `after` of the last move at or
 * before it. `moves` are in the API's order, newest first; moves recorded at the same time
 * keep that order, so the first of them counts as the later one.
 */
export function chooseByPushTime(moves: readonly BranchMove[], deadline: Date): DeadlineChoice {
  const limit = deadline.getTime();
  const newestFirst = [...moves].sort((a, b) => b.at - a.at);
  const last = newestFirst.find((m) => m.at <= limit);
  const later = newestFirst.filter((m) => m.at > limit && !isNoCommit(m.after) && m.after !== last?.after);
  const late = lateness(later, limit);
  if (!last) return { found: false, why: 'nothing-before-deadline', ...late };
  if (isNoCommit(last.after)) return { found: false, why: 'deleted-before-deadline', ...late };
  return { found: true, commit: last.after, at: last.at, ...late };
}

/**
 * The first commit of the branch's first-parent chain (`chain` starts at the head) whose
 * committer date is at or before the deadline. Commits above it on the chain are the work
 * that came after the deadline.
 */
export function chooseByCommitterDate(chain: readonly DatedCommit[], deadline: Date): DeadlineChoice {
  const limit = deadline.getTime();
  const index = chain.findIndex((c) => c.at <= limit);
  const late = lateness(index < 0 ? chain : chain.slice(0, index), limit);
  const chosen = index < 0 ? undefined : chain[index];
  if (!chosen) return { found: false, why: 'nothing-before-deadline', ...late };
  return { found: true, commit: chosen.commit, at: chosen.at, ...late };
}

function lateness(after: ReadonlyArray<{ at: number }>, limit: number): { lateMs?: number } {
  const newest = Math.max(...after.filter((m) => m.at > limit).map((m) => m.at));
  return Number.isFinite(newest) ? { lateMs: newest - limit } : {};
}

/**
 * Whether a page of moves (newest first) reaches back to the deadline: the pages after it
 * hold only older moves, which cannot change the choice.
 */
export function reachesDeadline(moves: readonly BranchMove[], deadline: Date): boolean {
  return moves.some((m) => m.at <= deadline.getTime());
}
