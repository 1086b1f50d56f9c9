/** Finding the instruction a builder names in its messages (`[build 3/5] RUN npm ci`) in the parsed Dockerfile. */
import type { DockerfileModel } from './model.js';

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function keywordUpper(text: string): string {
  const space = text.indexOf(' ');
  return space < 0 ? text.toUpperCase() : text.slice(0, space).toUpperCase() + text.slice(space);
}

/**
 * The line of the instruction the builder calls `step`. The classic builder's step
 * number settles ties between identical instructions; BuildKit rewrites some
 * instructions (`FROM busybox` → `FROM docker.io/library/busybox`), which the
 * looser second pass catches when only one instruction of that kind could match.
 */
export function lineOfStep(model: DockerfileModel, step: string, stepNumber?: number): number | undefined {
  const instructions = model.instructions.map((i) => ({ line: i.line, text: collapse(`${i.keyword} ${i.args}`) }));
  // BuildKit prefixes a step with its stage and position: `[stage 2/5] `.
  const wanted = keywordUpper(collapse(step.replace(/^\[[^\]]*\]\s*/, '')));
  const exact = instructions.filter((i) => i.text === wanted);
  if (exact.length > 0) {
    const numbered = stepNumber !== undefined ? instructions[stepNumber - 1] : undefined;
    return (numbered && exact.includes(numbered) ? numbered : exact[0])?.line;
  }
  const keyword = wanted.split(' ')[0] ?? '';
  const loose = instructions.filter((i) => {
    if (i.text.split(' ')[0] !== keyword) return false;
    const args = i.text.slice(keyword.length).trim();
    return args !== '' && wanted.includes(args.split(' ')[0] ?? args);
  });
  return loose.length === 1 ? loose[0]?.line : undefined;
}
