/** A place in the script with what is wrong there: a syntax error, or a test run's failure. */
export interface ScriptProblem {
  message: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

export function describeProblem(p: ScriptProblem): string {
  return `line ${p.line}, column ${p.column}: ${p.message}`;
}
