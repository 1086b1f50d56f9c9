/**
 * `dockerfile`: a built-in rule (or several, for partial credit), or "some / every / no
 * instruction X has arguments matching …", read statically with line numbers.
 */
import { t } from '../../basics/i18n/catalogue.js';
import type { SourceLocation } from '../../basics/results.js';
import type { Check, DockerfileRule, DockerfileSpec } from '../../rubric/model.js';
import { joinClauses, quote } from '../display.js';
import type { DockerfileInstruction, DockerfileModel } from '../dockerfile/model.js';
import { checkRule, rules, type RuleResult } from '../dockerfile/rules.js';
import { describeMatcher, matchText } from '../matcher.js';
import type { Probe, ProbeContext, ProbeOutcome } from '../probe.js';

export const dockerfileProbe: Probe<DockerfileSpec> = {
  kind: 'dockerfile',
  stage: () => 'repo',
  schedule: 'concurrent',
  defaultTimeoutMs: 10_000,
  async run(check: Check<DockerfileSpec>, ctx: ProbeContext): Promise<ProbeOutcome> {
    const { spec } = check;
    if (spec.rule) {
      const result = await runRule(spec.rule, ctx);
      return {
        status: result.passed ? 'passed' : 'failed',
        message: result.message,
        ...(result.locations.length > 0 ? { locations: result.locations } : {}),
      };
    }
    if (spec.rules) return checkRules(spec.rules, ctx);
    if (spec.instruction) {
      if (!ctx.dockerfile) return missing(ctx);
      const keyword = spec.instruction.toUpperCase();
      switch (spec.match ?? 'any') {
        case 'any':
          return checkInstruction(ctx.dockerfile, keyword, spec);
        case 'all':
          return everyInstruction(ctx.dockerfile, keyword, spec);
        case 'none':
          return noInstruction(ctx.dockerfile, keyword, spec);
      }
    }
    throw new Error(`dockerfile check ${check.id} names neither a rule nor an instruction`);
  },
};

function missing(ctx: ProbeContext): ProbeOutcome {
  return { status: 'failed', message: missingMessage(ctx) };
}

function missingMessage(ctx: ProbeContext): string {
  return ctx.dockerfileRefused ?? t('probe.dockerfile.not_found', { path: ctx.dockerfilePath });
}

/** One rule's verdict; a rule that needs the Dockerfile fails when it is missing, saying where it was looked for. */
async function runRule(rule: DockerfileRule, ctx: ProbeContext): Promise<RuleResult> {
  if (rules[rule].needsDockerfile && !ctx.dockerfile) return { passed: false, message: missingMessage(ctx), locations: [] };
  return checkRule(rule, {
    dockerfile: ctx.dockerfile,
    repoDir: ctx.repoDir,
    dockerfilePath: ctx.dockerfilePath,
    contextPath: ctx.rubric.build.context,
    buildArgs: ctx.rubric.build.args,
  });
}

/** `rules: [...]`: every rule runs; the check earns the share that pass and points at every failing rule's lines. */
async function checkRules(list: readonly DockerfileRule[], ctx: ProbeContext): Promise<ProbeOutcome> {
  const results = await Promise.all(list.map(async (rule) => ({ rule, result: await runRule(rule, ctx) })));
  const failing = results.filter(({ result }) => !result.passed);
  const expected = t('check.dockerfile.rules_expected', { rules: list.join(', ') });
  if (failing.length === 0) {
    return { status: 'passed', message: t('check.dockerfile.rules_passed', { count: list.length }), expected };
  }
  const named = failing.map(({ rule, result }) =>
    result.locations.length > 0 ? t('check.dockerfile.rule_at', { rule, lines: lineList(result.locations) }) : rule,
  );
  const locations = uniqueLocations(failing.flatMap(({ result }) => result.locations));
  return {
    status: 'failed',
    message: t('check.dockerfile.rules_failed', { failed: failing.length, count: list.length, rules: named.join(', ') }),
    expected,
    actual: failing.map(({ rule, result }) => `${rule}: ${result.message}`).join('\n'),
    ...(locations.length > 0 ? { locations } : {}),
    share: { passed: list.length - failing.length, of: list.length },
  };
}

/** `line 3` or `lines 3, 5`: the distinct lines, in order. */
function lineList(items: readonly { line: number }[]): string {
  const lines = [...new Set(items.map((i) => i.line))].sort((a, b) => a - b);
  return lines.length === 1 ? t('probe.rule.line', { line: lines[0]! }) : t('probe.rule.lines', { lines: lines.join(', ') });
}

function uniqueLocations(locations: readonly SourceLocation[]): SourceLocation[] {
  const seen = new Set<string>();
  return locations.filter((l) => {
    const key = `${l.path}:${l.line}:${l.endLine ?? l.line}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function where(df: DockerfileModel, i: DockerfileInstruction): SourceLocation {
  return i.endLine !== i.line ? { path: df.path, line: i.line, endLine: i.endLine } : { path: df.path, line: i.line };
}

/** `line 3: RUN apt-get update`, one line per instruction. */
function foundLines(found: readonly DockerfileInstruction[]): string {
  return found.map((i) => t('probe.dockerfile.found_line', { line: i.line, keyword: i.keyword, args: i.args })).join('\n');
}

function absent(keyword: string, expected: string): ProbeOutcome {
  return {
    status: 'failed',
    message: t('probe.dockerfile.no_instruction', { keyword }),
    expected,
    actual: t('probe.dockerfile.none', { keyword }),
  };
}

/** `match: all`: there is at least one, and every one matches (with no matcher keys: there is one). */
function everyInstruction(df: DockerfileModel, keyword: string, spec: DockerfileSpec): ProbeOutcome {
  if (!spec.args) return checkInstruction(df, keyword, spec);
  const matcher = spec.args;
  const expected = t('check.dockerfile.expect_all', { keyword, matcher: describeMatcher(matcher) });
  const found = df.instructions.filter((i) => i.keyword === keyword);
  if (found.length === 0) return absent(keyword, expected);
  const failing = found.flatMap((i) => {
    const result = matchText(matcher, i.args);
    return result.ok ? [] : [{ instruction: i, failures: joinClauses(result.failures) }];
  });
  if (failing.length === 0) {
    return {
      status: 'passed',
      message: t('check.dockerfile.all_matched', { keyword, count: found.length, matcher: describeMatcher(matcher) }),
      expected,
      actual: foundLines(found),
      locations: found.map((i) => where(df, i)),
    };
  }
  const details = failing.map(({ instruction, failures }) => t('check.dockerfile.line_failures', { line: instruction.line, failures }));
  return {
    status: 'failed',
    message: t('check.dockerfile.all_failed', { failed: failing.length, count: found.length, keyword, details: details.join('; ') }),
    expected,
    actual: foundLines(found),
    locations: failing.map(({ instruction }) => where(df, instruction)),
  };
}

/** `match: none`: no instruction of the kind matches (with no matcher keys: there is none at all). */
function noInstruction(df: DockerfileModel, keyword: string, spec: DockerfileSpec): ProbeOutcome {
  const matcher = spec.args;
  const expected = matcher
    ? t('check.dockerfile.expect_none', { keyword, matcher: describeMatcher(matcher) })
    : t('check.dockerfile.expect_none_at_all', { keyword });
  const found = df.instructions.filter((i) => i.keyword === keyword);
  const matching = matcher ? found.filter((i) => matchText(matcher, i.args).ok) : found;
  const actual = found.length > 0 ? foundLines(found) : t('probe.dockerfile.none', { keyword });
  if (matching.length === 0) {
    const message =
      found.length === 0
        ? t('probe.dockerfile.no_instruction', { keyword })
        : t('check.dockerfile.none_matched', { keyword, count: found.length, matcher: describeMatcher(matcher!) });
    return { status: 'passed', message, expected, actual };
  }
  const lines = lineList(matching);
  return {
    status: 'failed',
    message: matcher
      ? t('check.dockerfile.none_failed', { keyword, count: matching.length, lines, matcher: describeMatcher(matcher) })
      : t('check.dockerfile.none_present', { keyword, count: matching.length, lines }),
    expected,
    actual,
    locations: matching.map((i) => where(df, i)),
  };
}

/** `match: any` (the default): some instruction of the kind matches (with no matcher keys: there is one). */
function checkInstruction(df: DockerfileModel, keyword: string, spec: DockerfileSpec): ProbeOutcome {
  const found = df.instructions.filter((i) => i.keyword === keyword);
  const expected = spec.args
    ? t('probe.dockerfile.expect_args', { keyword, matcher: describeMatcher(spec.args) })
    : t('probe.dockerfile.expect_instruction', { keyword });
  if (found.length === 0) return absent(keyword, expected);
  const actual = foundLines(found);
  if (!spec.args) {
    return {
      status: 'passed',
      message: t('probe.dockerfile.found', { keyword, line: found[0]!.line }),
      expected,
      actual,
      locations: found.map((i) => where(df, i)),
    };
  }
  const hit = found.find((i) => matchText(spec.args!, i.args).ok);
  if (hit) {
    return {
      status: 'passed',
      message: t('probe.dockerfile.found_matching', { keyword, args: quote(hit.args), line: hit.line }),
      expected,
      actual,
      locations: [where(df, hit)],
    };
  }
  const first = found[0]!;
  const failures = joinClauses(matchText(spec.args, first.args).failures);
  return {
    status: 'failed',
    message:
      found.length === 1
        ? t('probe.dockerfile.no_match_one', { keyword, line: first.line, failures })
        : t('probe.dockerfile.no_match_many', { keyword, count: found.length, line: first.line, failures }),
    expected,
    actual,
    locations: found.map((i) => where(df, i)),
  };
}
