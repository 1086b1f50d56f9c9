/** `dockerfile`: a built-in rule, or "some instruction X has arguments matching …", read statically with line numbers. */
import type { SourceLocation } from '../../basics/results.js';
import type { Check, DockerfileSpec } from '../../rubric/model.js';
import { quote } from '../display.js';
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
  return { status: 'failed', message: ctx.dockerfileRefused ?? `no Dockerfile found at ${ctx.dockerfilePath}` };
}

function checkInstruction(df: DockerfileModel, keyword: string, spec: DockerfileSpec): ProbeOutcome {
  const found = df.instructions.filter((i) => i.keyword === keyword);
  const expected = spec.args ? `${keyword} whose arguments ${describeMatcher(spec.args)}` : `a ${keyword} instruction`;
  const where = (line: number, endLine: number): SourceLocation =>
    endLine !== line ? { path: df.path, line, endLine } : { path: df.path, line };
  if (found.length === 0) {
    return { status: 'failed', message: `the Dockerfile has no ${keyword} instruction`, expected, actual: `no ${keyword}` };
  }
  const actual = found.map((i) => `line ${i.line}: ${keyword} ${i.args}`).join('\n');
  if (!spec.args) {
    return {
      status: 'passed',
      message: `${keyword} on line ${found[0]!.line}`,
      expected,
      actual,
      locations: found.map((i) => where(i.line, i.endLine)),
    };
  }
  const hit = found.find((i) => matchText(spec.args!, i.args).ok);
  if (hit) {
    return {
      status: 'passed',
      message: `${keyword} ${quote(hit.args)} on line ${hit.line}`,
      expected,
      actual,
      locations: [where(hit.line, hit.endLine)],
    };
  }
  const first = found[0]!;
  return {
    status: 'failed',
    message: `no ${keyword} matches: ${found.length === 1 ? `the one on line ${first.line}` : `${found.length} found, e.g. line ${first.line}`} ${matchText(spec.args, first.args).failures.join('; ')}`,
    expected,
    actual,
    locations: found.map((i) => where(i.line, i.endLine)),
  };
}
