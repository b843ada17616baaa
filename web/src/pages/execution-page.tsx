import { api } from "../api/clients.js";
import { formatTimestamp } from "../api/format.js";
import { useLoad } from "../api/use-load.js";
import { ErrorBanner } from "../components/error-banner.js";
import { ExecutionView } from "../components/execution-view.js";
import { GuardedLink } from "../components/guarded-link.js";

/** One execution record: each run's outcome, duration, error and logs, and the mutations. */
export function ExecutionPage({ id }: { id: string }) {
  const got = useLoad(() => api.execution.getExecution({ id }), [id]);
  const x = got.data?.execution;
  return (
    <>
      <p>
        <GuardedLink href="/executions">← Executions</GuardedLink>
      </p>
      <h1>Execution {id}</h1>
      <ErrorBanner error={got.error} />
      {got.loading && <p role="status">Loading…</p>}
      {x && (
        <>
          <dl className="facts">
            <dt>Flow / trigger</dt>
            <dd>
              {x.flowType} / {x.triggerType}
            </dd>
            <dt>Started</dt>
            <dd>{formatTimestamp(x.startedAt)}</dd>
            {x.zitadelTargetId && (
              <>
                <dt>ZITADEL target</dt>
                <dd>
                  {x.zitadelTargetId} {x.zitadelFunction}
                </dd>
              </>
            )}
          </dl>
          <ExecutionView execution={x} />
        </>
      )}
    </>
  );
}
