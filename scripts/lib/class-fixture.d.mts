export const DEADLINE: string;
export const RUBRIC: string;
export interface FixtureStudent {
  username: string;
  kind: string;
  first: string;
  last: string;
  repository: string;
  expect: { status: 'graded' | 'missing' | 'ungradable'; percent?: number | null; late?: boolean };
}
export const KINDS: readonly { kind: string }[];
export function makeClass(dir: string, options?: { size?: number; gradableOnly?: boolean }): { roster: string; rubric: string; deadline: string; students: FixtureStudent[] };
