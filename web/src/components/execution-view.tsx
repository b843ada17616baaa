import { toJsonString } from "@bufbuild/protobuf";
import { type ActionRun, type Execution, LogLevel, MutationsSchema, Outcome } from "../../../gen/actiond/v1/execution_pb.js";
import { formatDuration } from "../api/format.js";

const outcomeText: Record<Outcome, string> = {
  [Outcome.UNSPECIFIED]: "unknown",
  [Outcome.SUCCEEDED]: "succeeded",
  [Outcome.FAILED]: "failed",
  [Outcome.TIMED_OUT]: "timed out",
  [Outcome.OUT_OF_MEMORY]: "out of memory",
};

export function outcomeOf(run: ActionRun): string {
  return outcomeText[run.outcome];
}

/** An execution's runs in order, each with its outcome, duration, error and logs, and what they changed. */
export function ExecutionView({ execution, headingLevel = 2 }: { execution: Execution; headingLevel?: 2 | 3 }) {
  const H = `h${headingLevel}` as const;
  const Sub = `h${headingLevel + 1}` as "h3" | "h4";
  return (
    <div className="execution">
      <p>
        Duration {formatDuration(execution.duration)}
        {execution.aborted && <strong className="badge inactive"> aborted: a failing action stopped the flow</strong>}
      </p>
      <H>Runs</H>
      {execution.runs.length === 0 && <p>No action ran.</p>}
      <ol className="runs">
        {execution.runs.map((run, i) => (
          <li key={i} className={`run ${run.outcome === Outcome.SUCCEEDED ? "ok" : "bad"}`}>
            <Sub>
              {run.name}: <span className="outcome">{outcomeOf(run)}</span> in {formatDuration(run.duration)}
              {run.allowedToFail && " (allowed to fail)"}
            </Sub>
            {run.error && (
              <p className="error">
                {run.error.message}
                {run.error.line > 0 && ` (line ${run.error.line}, column ${run.error.column})`}
              </p>
            )}
            {run.logs.length > 0 && (
              <ul className="logs" aria-label={`Logs of ${run.name}`}>
                {run.logs.map((log, j) => (
                  <li key={j}>
                    <span className="level">{LogLevel[log.level]}</span> {log.message}
                  </li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ol>
      <H>Mutations</H>
      <pre className="json" tabIndex={0} aria-label="Mutations">
        {execution.mutations ? toJsonString(MutationsSchema, execution.mutations, { prettySpaces: 2 }) : "{}"}
      </pre>
    </div>
  );
}
