/**
 * Finds things in the Dockerfile text the builder's messages refer to: the line of
 * a step the builder names, the `# syntax=` frontend, the line of a parse error.
 */
import { DockerfileParser } from 'dockerfile-ast';

export interface DockerfileInstruction {
  /** 1-based line where the instruction starts. */
  line: number;
  /** Keyword and arguments on one line, continuations joined, whitespace collapsed. */
  text: string;
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export function dockerfileInstructions(content: string): DockerfileInstruction[] {
  const dockerfile = DockerfileParser.parse(content);
  const escape = dockerfile.getEscapeCharacter();
  return dockerfile.getInstructions().map((instruction) => {
    const args = instruction
      .getRawArgumentsContent()
      ?.split('\n')
      .filter((line) => !line.trimStart().startsWith('#'))
      .map((line) => (line.trimEnd().endsWith(escape) ? line.trimEnd().slice(0, -1) : line))
      .join(' ');
    return {
      line: instruction.getRange().start.line + 1,
      text: collapse(`${instruction.getKeyword()} ${args ?? ''}`),
    };
  });
}

/** Drops BuildKit's `[stage 2/5] ` prefix from a vertex name. */
export function stepInstruction(step: string): string {
  return collapse(step.replace(/^\[[^\]]*\]\s*/, ''));
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
export function findStepLine(content: string, step: string, stepNumber?: number): number | undefined {
  const instructions = dockerfileInstructions(content);
  const wanted = keywordUpper(stepInstruction(step));
  const exact = instructions.filter((i) => keywordUpper(i.text) === wanted);
  if (exact.length > 0) {
    const numbered = stepNumber !== undefined ? instructions[stepNumber - 1] : undefined;
    return (numbered && exact.includes(numbered) ? numbered : exact[0])?.line;
  }
  const keyword = wanted.split(' ')[0];
  const sameKind = instructions.filter((i) => keywordUpper(i.text).split(' ')[0] === keyword);
  const loose = sameKind.filter((i) => {
    const args = keywordUpper(i.text).slice(keyword?.length ?? 0).trim();
    return args !== '' && wanted.includes(args.split(' ')[0] ?? args);
  });
  return loose.length === 1 ? loose[0]?.line : undefined;
}

/** The image named by a `# syntax=` parser directive, if any. */
export function syntaxDirective(content: string): string | undefined {
  const directive = DockerfileParser.parse(content)
    .getDirectives()
    .find((d) => d.getName().toLowerCase() === 'syntax');
  return directive?.getValue() || undefined;
}

/** The line number in a builder's "dockerfile parse error line 3: …" message. */
export function parseErrorLine(message: string): number | undefined {
  const match = /parse error (?:on )?line (\d+)/i.exec(message);
  return match ? Number(match[1]) : undefined;
}
