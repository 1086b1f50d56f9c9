/** `image`: the built image's metadata against each key the rubric gives; the message lists every mismatch. */
import { formatBytes } from '../../basics/units.js';
import type { ImageInfo } from '../../engine/engine.js';
import type { Check, ImageSpec } from '../../rubric/model.js';
import { requireImage } from '../context.js';
import { checkNonRoot, type NonRootVerdict } from '../image-user.js';
import type { Probe, ProbeContext, ProbeOutcome } from '../probe.js';

interface Comparison {
  expected: string;
  actual: string;
  /** Set when the key does not hold: the phrase for the message. */
  problem?: string;
}

export const imageProbe: Probe<ImageSpec> = {
  kind: 'image',
  stage: () => 'image',
  schedule: 'concurrent',
  defaultTimeoutMs: 10_000,
  async run(check: Check<ImageSpec>, ctx: ProbeContext): Promise<ProbeOutcome> {
    const image = requireImage(ctx);
    const nonRoot = check.spec.user === 'non-root' ? await checkNonRoot(ctx.engine, image.ref, image.info.user) : undefined;
    const comparisons = compareImage(check.spec, image.info, nonRoot);
    const problems = comparisons.filter((c) => c.problem !== undefined);
    return {
      status: problems.length === 0 ? 'passed' : 'failed',
      message:
        problems.length === 0
          ? `the image matches: ${comparisons.map((c) => c.actual).join(', ')}`
          : problems.map((p) => p.problem).join('; '),
      expected: comparisons.map((c) => c.expected).join('\n'),
      actual: comparisons.map((c) => c.actual).join('\n'),
    };
  },
};

function showList(list: string[] | null): string {
  return list === null ? 'none' : JSON.stringify(list);
}

function sameList(a: string[] | null, b: string[]): boolean {
  return a !== null && a.length === b.length && a.every((v, i) => v === b[i]);
}

/** `env` or `labels` (`keyword` ENV or LABEL): every pair the rubric names is set so in the image. */
function compareMap(name: string, keyword: string, want: Record<string, string>, got: Record<string, string>): Comparison {
  const problems = Object.entries(want).flatMap(([key, value]) =>
    !Object.hasOwn(got, key)
      ? [`${keyword} ${key} is not set (expected ${JSON.stringify(value)})`]
      : got[key] !== value
        ? [`${keyword} ${key} is ${JSON.stringify(got[key])} (expected ${JSON.stringify(value)})`]
        : [],
  );
  return {
    expected: `${name} ${Object.entries(want)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')}`,
    actual: `${name} ${Object.keys(want)
      .map((k) => (Object.hasOwn(got, k) ? `${k}=${got[k]}` : `${k} unset`))
      .join(', ')}`,
    ...(problems.length === 0 ? {} : { problem: problems.join('; ') }),
  };
}

/** `entrypoint` or `cmd` (`keyword` ENTRYPOINT or CMD): the exact list; an empty one also matches none. */
function compareList(name: string, keyword: string, want: string[], got: string[] | null): Comparison {
  const ok = sameList(got, want) || (want.length === 0 && got === null);
  return {
    expected: `${name} ${showList(want)}`,
    actual: `${name} ${showList(got)}`,
    ...(ok ? {} : { problem: `${keyword} is ${showList(got)}, expected ${showList(want)}` }),
  };
}

/** `nonRoot`: the verdict on the image's user, needed when `spec.user` is `non-root`. */
export function compareImage(spec: ImageSpec, info: ImageInfo, nonRoot?: NonRootVerdict): Comparison[] {
  const out: Comparison[] = [];
  if (spec.maxSizeBytes !== undefined) {
    const ok = info.sizeBytes <= spec.maxSizeBytes;
    out.push({
      expected: `size at most ${formatBytes(spec.maxSizeBytes)}`,
      actual: `size ${formatBytes(info.sizeBytes)}`,
      ...(ok
        ? {}
        : {
            problem: `the image is ${formatBytes(info.sizeBytes)}, over the ${formatBytes(spec.maxSizeBytes)} limit (a slim/alpine base or a multi-stage build helps)`,
          }),
    });
  }
  if (spec.user === 'non-root') {
    if (!nonRoot) throw new Error('the non-root verdict on the image user is missing');
    out.push({ expected: 'user not root', actual: nonRoot.actual, ...(nonRoot.problem === undefined ? {} : { problem: nonRoot.problem }) });
  } else if (spec.user !== undefined) {
    const shown = info.user === '' ? 'root (no USER set)' : info.user;
    const ok = info.user === spec.user || info.user.split(':')[0] === spec.user;
    out.push({
      expected: `user ${spec.user}`,
      actual: `user ${shown}`,
      ...(ok ? {} : { problem: `the image runs as ${shown}, expected ${spec.user}` }),
    });
  }
  if (spec.exposes !== undefined) {
    const missing = spec.exposes.filter((p) => !info.exposedPorts.includes(p));
    out.push({
      expected: `exposes ${spec.exposes.join(', ')}`,
      actual: info.exposedPorts.length > 0 ? `exposes ${info.exposedPorts.join(', ')}` : 'exposes nothing',
      ...(missing.length === 0
        ? {}
        : { problem: `port ${missing.join(', ')} is not EXPOSEd (the image exposes ${info.exposedPorts.join(', ') || 'nothing'})` }),
    });
  }
  if (spec.env !== undefined) out.push(compareMap('env', 'ENV', spec.env, info.env));
  if (spec.labels !== undefined) out.push(compareMap('labels', 'LABEL', spec.labels, info.labels));
  if (spec.workdir !== undefined) {
    const trim = (p: string) => (p.length > 1 ? p.replace(/\/+$/, '') : p);
    const ok = trim(info.workdir) === trim(spec.workdir);
    out.push({
      expected: `workdir ${spec.workdir}`,
      actual: `workdir ${info.workdir || '(none)'}`,
      ...(ok ? {} : { problem: `WORKDIR is ${info.workdir || 'not set'}, expected ${spec.workdir}` }),
    });
  }
  if (spec.entrypoint !== undefined) out.push(compareList('entrypoint', 'ENTRYPOINT', spec.entrypoint, info.entrypoint));
  if (spec.cmd !== undefined) out.push(compareList('cmd', 'CMD', spec.cmd, info.cmd));
  if (spec.healthcheck !== undefined) {
    const ok = info.healthcheck === spec.healthcheck;
    out.push({
      expected: spec.healthcheck ? 'a healthcheck' : 'no healthcheck',
      actual: info.healthcheck ? 'a healthcheck' : 'no healthcheck',
      ...(ok ? {} : { problem: spec.healthcheck ? 'the image has no HEALTHCHECK' : 'the image has a HEALTHCHECK, expected none' }),
    });
  }
  if (spec.maxLayers !== undefined) {
    const ok = info.layers <= spec.maxLayers;
    out.push({
      expected: `at most ${spec.maxLayers} layers`,
      actual: `${info.layers} layers`,
      ...(ok ? {} : { problem: `the image has ${info.layers} layers, more than ${spec.maxLayers} (chain related RUN steps with &&)` }),
    });
  }
  return out;
}
