import { useEffect, useRef, useState } from "react";
import type { Execution } from "../../../gen/actiond/v1/execution_pb.js";
import { type ApiError, fieldError, toApiError } from "../api/api-error.js";
import { api } from "../api/clients.js";
import { secondsToDuration } from "../api/format.js";
import { useLoad } from "../api/use-load.js";
import { ErrorBanner } from "../components/error-banner.js";
import { ExecutionView } from "../components/execution-view.js";
import { sampleContext } from "./sample-contexts.js";
import type { ScriptProblem } from "./script-problem.js";
import { SelectField, typeOptions } from "../components/select-field.js";

export interface Draft {
  name: string;
  script: string;
  timeoutSeconds: number;
  allowedToFail: boolean;
}

interface TestPanelProps {
  draft(): Draft;
  /** A failed run's place in the script, to mark in the editor. */
  onProblem(problem: ScriptProblem | undefined): void;
}

/**
 * Runs the editor's unsaved script with TestAction, as RunTrigger would at
 * the chosen trigger, with an editable sample context; nothing is stored.
 */
export function TestPanel({ draft, onProblem }: TestPanelProps) {
  const flows = useLoad(() => api.management.listFlowTypes({}), []);
  const [flowType, setFlowType] = useState("2");
  const triggers = useLoad(() => api.management.listFlowTriggerTypes({ type: flowType }), [flowType]);
  const [triggerType, setTriggerType] = useState("5");
  const [context, setContext] = useState(() => sampleContext("2", "5"));
  const [result, setResult] = useState<Execution>();
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);

  // A new flow's triggers: keep the trigger if the flow has it, and its sample, which differs per flow (1/1 is not 3/1).
  const sampledFor = useRef(flowType);
  useEffect(() => {
    const ids = triggers.data?.result.map((t) => t.id) ?? [];
    if (!ids.length || sampledFor.current === flowType) return;
    sampledFor.current = flowType;
    pickTrigger(ids.includes(triggerType) ? triggerType : ids[0]!);
  }, [triggers.data]);

  function pickTrigger(id: string) {
    setTriggerType(id);
    setContext(sampleContext(flowType, id));
  }

  async function run() {
    setError(undefined);
    setResult(undefined);
    let parsed: unknown;
    try {
      parsed = JSON.parse(context);
    } catch (err) {
      return setError({ code: "InvalidArgument", message: "the context is not valid JSON", fields: { context: (err as Error).message } });
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      return setError({ code: "InvalidArgument", message: "the context must be a JSON object", fields: { context: "must be a JSON object" } });
    }
    const d = draft();
    setBusy(true);
    try {
      const { execution } = await api.execution.testAction({
        name: d.name || "test",
        script: d.script,
        timeout: secondsToDuration(d.timeoutSeconds),
        allowedToFail: d.allowedToFail,
        flowType,
        triggerType,
        context: parsed as Record<string, never>,
      });
      setResult(execution);
      const failed = execution?.runs.find((r) => r.error && r.error.line > 0);
      onProblem(failed?.error && { message: failed.error.message, line: failed.error.line, column: failed.error.column });
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  }

  const contextError = fieldError(error, "context");
  return (
    <section className="test-panel" aria-labelledby="test-heading">
      <h2 id="test-heading">Test</h2>
      <div className="row">
        <SelectField label="Flow" value={flowType} options={typeOptions(flows.data?.result)} onChange={setFlowType} />
        <SelectField label="Trigger" value={triggerType} options={typeOptions(triggers.data?.result)} onChange={pickTrigger} />
      </div>
      <label htmlFor="test-context">Context (JSON)</label>
      <textarea
        id="test-context"
        className="code"
        rows={10}
        spellCheck={false}
        value={context}
        onChange={(e) => setContext(e.target.value)}
        aria-invalid={contextError ? true : undefined}
        aria-describedby={contextError ? "test-context-error" : undefined}
      />
      {contextError && (
        <p id="test-context-error" className="field-error">
          {contextError}
        </p>
      )}
      <button type="button" onClick={run} disabled={busy}>
        Run test
      </button>
      <ErrorBanner error={error} />
      <div role="status" aria-live="polite">
        {result && (
          <>
            <p className="visually-hidden">Test finished.</p>
            <ExecutionView execution={result} headingLevel={3} />
          </>
        )}
      </div>
    </section>
  );
}
