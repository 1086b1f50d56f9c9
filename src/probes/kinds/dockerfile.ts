/** `dockerfile`: a built-in rule, or "some instruction X has arguments matching …", read statically with line numbers. */
import { t } from '../../basics/i18n/catalogue.js';
import type { SourceLocation } from '../../basics/results.js';
import type { Check, DockerfileSpec } from '../../rubric/model.js';
import { joinClauses, quote } from '../display.js';
import type { DockerfileModel } from '../dockerfile/model.js';
import { checkRule, rules } from '../dockerfile/rules.js';
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
      if (rules[spec.rule].needsDockerfile && !ctx.dockerfile) return missing(ctx);
      const result = await checkRule(spec.rule, {
        dockerfile: ctx.dockerfile,
        repoDir: ctx.repoDir,
        dockerfilePath: ctx.dockerfilePath,
        contextPath: ctx.rubric.build.context,
        buildArgs: ctx.rubric.build.args,
      });
      return {
        status: result.passed ? 'passed' : 'failed',
        message: result.message,
        ...(result.locations.length > 0 ? { locations: result.locations } : {}),
      };
    }
    if (spec.instruction) {
      if (!ctx.dockerfile) return missing(ctx);
      return checkInstruction(ctx.dockerfile, spec.instruction.toUpperCase(), spec);
    }
    throw new Error(`dockerfile check ${check.id} names neither a rule nor an instruction`);
  },
};

function missing(ctx: ProbeContext): ProbeOutcome {
  return { status: 'failed', message: ctx.dockerfileRefused ?? t('probe.dockerfile.not_found', { path: ctx.dockerfilePath }) };
}

function checkInstruction(df: DockerfileModel, keyword: string, spec: DockerfileSpec): ProbeOutcome {
  const found = df.instructions.filter((i) => i.keyword === keyword);
  const expected = spec.args
    ? t('probe.dockerfile.expect_args', { keyword, matcher: describeMatcher(spec.args) })
    : t('probe.dockerfile.expect_instruction', { keyword });
  const where = (line: number, endLine: number): SourceLocation =>
    endLine !== line ? { path: df.path, line, endLine } : { path: df.path, line };
  if (found.length === 0) {
    return {
      status: 'failed',
      message: t('probe.dockerfile.no_instruction', { keyword }),
      expected,
      actual: t('probe.dockerfile.none', { keyword }),
    };
  }
  const actual = found.map((i) => t('probe.dockerfile.found_line', { line: i.line, keyword, args: i.args })).join('\n');
  if (!spec.args) {
    return {
      status: 'passed',
      message: t('probe.dockerfile.found', { keyword, line: found[0]!.line }),
      expected,
      actual,
      locations: found.map((i) => where(i.line, i.endLine)),
    };
  }
  const hit = found.find((i) => matchText(spec.args!, i.args).ok);
  if (hit) {
    return {
      status: 'passed',
      message: t('probe.dockerfile.found_matching', { keyword, args: quote(hit.args), line: hit.line }),
      expected,
      actual,
      locations: [where(hit.line, hit.endLine)],
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
    locations: found.map((i) => where(i.line, i.endLine)),
  };
}
