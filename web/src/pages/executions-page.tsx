import { useState } from "react";
import { Outcome } from "../../../gen/actiond/v1/execution_pb.js";
import { api } from "../api/clients.js";
import { formatDuration, formatTimestamp } from "../api/format.js";
import { useLoad } from "../api/use-load.js";
import { ErrorBanner } from "../components/error-banner.js";
import { GuardedLink } from "../components/guarded-link.js";
import { outcomeOf } from "../components/execution-view.js";
import { Pager } from "../components/pager.js";

const pageSize = 25;

/** A datetime-local value (the browser's time zone) as a Timestamp; empty: no bound. */
function toTimestamp(local: string): { seconds: bigint; nanos: number } | undefined {
  const ms = local ? new Date(local).getTime() : NaN;
  return Number.isNaN(ms) ? undefined : { seconds: BigInt(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1e6 };
}

/** Execution records, newest first, with ListExecutions' filters. */
export function ExecutionsPage() {
  const [flowType, setFlowType] = useState("");
  const [triggerType, setTriggerType] = useState("");
  const [actionId, setActionId] = useState("");
  const [outcome, setOutcome] = useState(Outcome.UNSPECIFIED);
  const [after, setAfter] = useState("");
  const [before, setBefore] = useState("");
  const [targetId, setTargetId] = useState("");
  const [page, setPage] = useState(0);
  const list = useLoad(
    () =>
      api.execution.listExecutions({
        offset: BigInt(page * pageSize),
        limit: pageSize,
        flowType: flowType.trim(),
        triggerType: triggerType.trim(),
        actionId: actionId.trim(),
        outcome,
        startedAfter: toTimestamp(after),
        startedBefore: toTimestamp(before),
        zitadelTargetId: targetId.trim(),
      }),
    [flowType, triggerType, actionId, outcome, after, before, targetId, page],
  );
  const total = Number(list.data?.totalResult ?? 0n);
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const filter = (set: () => void) => {
    set();
    setPage(0);
  };

  return (
    <>
      <h1>Executions</h1>
      <form className="filters" role="search" aria-label="Filter executions" onSubmit={(e) => e.preventDefault()}>
        <label>
          Flow type
          <input value={flowType} onChange={(e) => filter(() => setFlowType(e.target.value))} size={4} />
        </label>
        <label>
          Trigger type
          <input value={triggerType} onChange={(e) => filter(() => setTriggerType(e.target.value))} size={4} />
        </label>
        <label>
          Action ID
          <input value={actionId} onChange={(e) => filter(() => setActionId(e.target.value))} />
        </label>
        <label>
          Outcome
          <select value={outcome} onChange={(e) => filter(() => setOutcome(Number(e.target.value)))}>
            <option value={Outcome.UNSPECIFIED}>any</option>
            <option value={Outcome.SUCCEEDED}>succeeded</option>
            <option value={Outcome.FAILED}>failed</option>
            <option value={Outcome.TIMED_OUT}>timed out</option>
            <option value={Outcome.OUT_OF_MEMORY}>out of memory</option>
          </select>
        </label>
        <label>
          Started after
          <input type="datetime-local" value={after} onChange={(e) => filter(() => setAfter(e.target.value))} />
        </label>
        <label>
          Started before
          <input type="datetime-local" value={before} onChange={(e) => filter(() => setBefore(e.target.value))} />
        </label>
        <label>
          ZITADEL target ID
          <input value={targetId} onChange={(e) => filter(() => setTargetId(e.target.value))} />
        </label>
      </form>
      <ErrorBanner error={list.error} />
      <p role="status" className="count">
        {list.loading ? "Loading…" : `${total} execution${total === 1 ? "" : "s"}`}
      </p>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Started</th>
              <th scope="col">Flow / trigger</th>
              <th scope="col">Actions</th>
              <th scope="col">Duration</th>
            </tr>
          </thead>
          <tbody>
            {list.data?.result.map((x) => (
              <tr key={x.id}>
                <td>
                  <GuardedLink href={`/executions/${x.id}`}>{formatTimestamp(x.startedAt)}</GuardedLink>
                </td>
                <td>
                  {x.flowType} / {x.triggerType}
                </td>
                <td>{x.runs.map((r) => `${r.name}: ${outcomeOf(r)}`).join(", ") || "none"}</td>
                <td>{formatDuration(x.duration)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pager page={page} pages={pages} onPage={setPage} label="Pages of executions" />
    </>
  );
}
