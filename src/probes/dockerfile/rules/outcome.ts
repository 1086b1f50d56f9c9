/** What a built-in Dockerfile rule is given and gives back, and the pieces its messages share. */
import { t } from '../../../basics/i18n/catalogue.js';
import type { SourceLocation } from '../../../basics/results.js';
import { quote } from '../../display.js';
import type { DockerfileModel } from '../model.js';

export interface RuleInput {
  /** Undefined when the Dockerfile is missing; only rules with `needsDockerfile: false` then run. */
  dockerfile: DockerfileModel | undefined;
  /** Absolute path of the repo root. */
  repoDir: string;
  /** Dockerfile path relative to the repo root, `/`-separated. */
  dockerfilePath: string;
  /** Build context relative to the repo root. */
  contextPath: string;
  /** Build args the rubric passes: they override ARG defaults in FROM. */
  buildArgs: Record<string, string>;
}

export interface RuleResult {
  passed: boolean;
  message: string;
  locations: SourceLocation[];
}

export interface RuleDefinition {
  needsDockerfile: boolean;
  check(input: RuleInput): RuleResult | Promise<RuleResult>;
}

export function onDockerfile(check: (df: DockerfileModel, input: RuleInput) => RuleResult): RuleDefinition {
  return {
    needsDockerfile: true,
    check: (input) => {
      if (!input.dockerfile) throw new Error(`rule needs the Dockerfile, which is missing (${input.dockerfilePath})`);
      return check(input.dockerfile, input);
    },
  };
}

export const pass = (message: string): RuleResult => ({ passed: true, message, locations: [] });
export const fail = (message: string, locations: SourceLocation[]): RuleResult => ({ passed: false, message, locations });

export function at(df: DockerfileModel, item: { line: number; endLine?: number }): SourceLocation {
  return item.endLine !== undefined && item.endLine !== item.line
    ? { path: df.path, line: item.line, endLine: item.endLine }
    : { path: df.path, line: item.line };
}

/** `line 3` or `lines 3, 7`, each line said once, in order. */
export function lineList(items: { line: number }[]): string {
  const lines = [...new Set(items.map((i) => i.line))].sort((a, b) => a - b);
  return lines.length === 1 ? t('probe.rule.line', { line: lines[0]! }) : t('probe.rule.lines', { lines: lines.join(', ') });
}

/** The other offending lines, said after the first one's message; empty when there are none. */
export function alsoOn(others: { line: number }[]): string {
  return others.length > 0 ? t('probe.rule.also', { lines: lineList(others) }) : '';
}

export function noStages(df: DockerfileModel): RuleResult {
  return fail(t('probe.rule.no_from'), [{ path: df.path, line: 1 }]);
}

/** The locations of `items`, each instruction once, in file order. */
export function locationsOf(df: DockerfileModel, items: { line: number; endLine?: number }[]): SourceLocation[] {
  const seen = new Set<number>();
  return items
    .filter((i) => !seen.has(i.line) && seen.add(i.line))
    .sort((a, b) => a.line - b.line)
    .map((i) => at(df, i));
}

/** Names as the student wrote them, quoted, each once; the first few only. */
export function nameList(names: string[], max = 5): string {
  const unique = [...new Set(names)];
  const shown = unique.slice(0, max).map((n) => quote(n));
  return unique.length > max ? `${shown.join(', ')}, …` : shown.join(', ');
}
