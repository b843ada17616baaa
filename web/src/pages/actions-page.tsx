import { useState } from "react";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { ActionFieldName, ActionState } from "../../../gen/zitadel/action/v1/action_pb.js";
import type { ActionQuerySchema } from "../../../gen/zitadel/management/v1/management_pb.js";
import { TextQueryMethod } from "../../../gen/zitadel/v1/object_pb.js";
import { api } from "../api/clients.js";
import { formatDuration } from "../api/format.js";
import { useLoad } from "../api/use-load.js";
import { ErrorBanner } from "../components/error-banner.js";
import { GuardedLink } from "../components/guarded-link.js";
import { Pager } from "../components/pager.js";
import { StateBadge } from "../components/state-badge.js";
import { useSession } from "../session/use-session.js";

const pageSize = 20;

const methods: [TextQueryMethod, string][] = [
  [TextQueryMethod.CONTAINS_IGNORE_CASE, "contains"],
  [TextQueryMethod.STARTS_WITH_IGNORE_CASE, "starts with"],
  [TextQueryMethod.ENDS_WITH_IGNORE_CASE, "ends with"],
  [TextQueryMethod.EQUALS_IGNORE_CASE, "equals"],
];

/** The org's actions, by name, with the API's own name search, state filter and paging. */
export function ActionsPage() {
  const canWrite = useSession()?.canWrite ?? false;
  const [name, setName] = useState("");
  const [method, setMethod] = useState(TextQueryMethod.CONTAINS_IGNORE_CASE);
  const [state, setState] = useState(ActionState.UNSPECIFIED);
  const [page, setPage] = useState(0);

  const list = useLoad(() => {
    const queries: MessageInitShape<typeof ActionQuerySchema>[] = [];
    if (name) queries.push({ query: { case: "actionNameQuery", value: { name, method } } });
    if (state !== ActionState.UNSPECIFIED) queries.push({ query: { case: "actionStateQuery", value: { state } } });
    return api.management.listActions({
      query: { offset: BigInt(page * pageSize), limit: pageSize, asc: true },
      sortingColumn: ActionFieldName.NAME,
      queries,
    });
  }, [name, method, state, page]);

  const total = Number(list.data?.details?.totalResult ?? 0n);
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const filter = (set: () => void) => {
    set();
    setPage(0);
  };

  return (
    <>
      <div className="page-head">
        <h1>Actions</h1>
        {canWrite && (
          <GuardedLink className="button primary" href="/actions/new">
            Create action
          </GuardedLink>
        )}
      </div>
      <form className="filters" role="search" aria-label="Filter actions" onSubmit={(e) => e.preventDefault()}>
        <label>
          Name
          <input type="search" value={name} onChange={(e) => filter(() => setName(e.target.value))} />
        </label>
        <label>
          Match
          <select value={method} onChange={(e) => filter(() => setMethod(Number(e.target.value)))}>
            {methods.map(([m, label]) => (
              <option key={m} value={m}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label>
          State
          <select value={state} onChange={(e) => filter(() => setState(Number(e.target.value)))}>
            <option value={ActionState.UNSPECIFIED}>any</option>
            <option value={ActionState.ACTIVE}>active</option>
            <option value={ActionState.INACTIVE}>inactive</option>
          </select>
        </label>
      </form>
      <ErrorBanner error={list.error} />
      <p role="status" className="count">
        {list.loading ? "Loading…" : `${total} action${total === 1 ? "" : "s"}`}
      </p>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">State</th>
              <th scope="col">Timeout</th>
              <th scope="col">Allowed to fail</th>
            </tr>
          </thead>
          <tbody>
            {list.data?.result.map((a) => (
              <tr key={a.id}>
                <td>
                  <GuardedLink href={`/actions/${a.id}`}>{a.name}</GuardedLink>
                </td>
                <td>
                  <StateBadge state={a.state} />
                </td>
                <td>{formatDuration(a.timeout)}</td>
                <td>{a.allowedToFail ? "yes" : "no"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pager page={page} pages={pages} onPage={setPage} label="Pages of actions" />
    </>
  );
}
