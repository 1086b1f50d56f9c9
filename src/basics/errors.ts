/**
 * Errors that cross module boundaries. User faults (a broken rubric, bad CLI usage)
 * carry a message meant for a person; infrastructure faults make a run ungradable.
 * Anything else is a bug and is reported as an internal error at each boundary.
 */

/** A problem the user can fix: bad arguments, a broken rubric. Exit code 2. */
export class UserError extends Error {
  override readonly name: string = 'UserError';
}

export interface RubricProblem {
  file: string;
  line: number;
  column: number;
  /** The rubric key the problem is about, as a dotted path (e.g. `checks[2].http.status`). */
  key: string;
  message: string;
  suggestion?: string;
}

/** A rubric that cannot be used. Lists every problem found, each with its position. */
export class RubricError extends UserError {
  override readonly name = 'RubricError';
  constructor(
    readonly file: string,
    readonly problems: RubricProblem[],
  ) {
    super(RubricError.describe(file, problems));
  }

  static describe(file: string, problems: RubricProblem[]): string {
    return `invalid rubric ${file}\n${problems.map(formatRubricProblem).join('\n')}`;
  }
}

/** `rubric.yml:4:11: limits.memory: must be a size… (did you mean "…"?)`: one problem on one line. */
export function formatRubricProblem(p: RubricProblem): string {
  const hint = p.suggestion ? ` (did you mean "${p.suggestion}"?)` : '';
  return `${p.file}:${p.line}:${p.column}: ${p.key ? `${p.key}: ` : ''}${p.message}${hint}`;
}

/** The grader could not do its job for reasons outside the submission: the run is ungradable. Exit code 3. */
export class InfrastructureError extends Error {
  override readonly name: string = 'InfrastructureError';
}

/** The container engine cannot be reached or stopped answering. */
export class EngineUnavailableError extends InfrastructureError {
  override readonly name = 'EngineUnavailableError';
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
