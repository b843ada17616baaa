import { useState } from "react";
import { type Action, ActionFieldName, ActionState, type TriggerType } from "../../../gen/zitadel/action/v1/action_pb.js";
import { type ApiError, toApiError } from "../api/api-error.js";
import { api } from "../api/clients.js";
import { useLoad } from "../api/use-load.js";
import { ErrorBanner } from "../components/error-banner.js";
import { useSession } from "../session/use-session.js";
import { SelectField, typeOptions } from "../components/select-field.js";

/**
 * A flow's triggers with their actions in the order they run: add, remove,
 * reorder (drag, or the Move buttons by keyboard), and clear the flow. Each
 * change is one SetTriggerActions (or ClearFlow) call.
 */
export function FlowsPage() {
  const canWrite = useSession()?.canWrite ?? false;
  const [flowType, setFlowType] = useState("2");
  const flowTypes = useLoad(() => api.management.listFlowTypes({}), []);
  const triggers = useLoad(() => api.management.listFlowTriggerTypes({ type: flowType }), [flowType]);
  const flow = useLoad(() => api.management.getFlow({ type: flowType }), [flowType]);
  const actions = useLoad(() => api.management.listActions({ query: { limit: 1000, asc: true }, sortingColumn: ActionFieldName.NAME }), []);
  const [error, setError] = useState<ApiError>();
  const [status, setStatus] = useState("");
  const [confirmClear, setConfirmClear] = useState(false);

  const bound = (triggerId: string): Action[] => flow.data?.flow?.triggerActions.find((t) => t.triggerType?.id === triggerId)?.actions ?? [];

  async function change(call: () => Promise<unknown>, done: string) {
    setError(undefined);
    setStatus("");
    try {
      await call();
      setStatus(done);
    } catch (err) {
      setError(toApiError(err));
    }
    flow.reload();
  }

  const setActions = (trigger: TriggerType, ids: string[], done: string) =>
    change(() => api.management.setTriggerActions({ flowType, triggerType: trigger.id, actionIds: ids }), done);

  return (
    <>
      <div className="page-head">
        <h1>Flows</h1>
        <SelectField label="Flow" value={flowType} options={typeOptions(flowTypes.data?.result)} onChange={setFlowType} />
        {canWrite && !confirmClear && (
          <button type="button" className="danger" onClick={() => setConfirmClear(true)}>
            Clear flow
          </button>
        )}
      </div>
      {confirmClear && (
        <div className="confirm" role="alertdialog" aria-labelledby="confirm-clear-text">
          <p id="confirm-clear-text">Remove every action from every trigger of this flow?</p>
          <button
            type="button"
            className="danger"
            autoFocus
            onClick={() => {
              setConfirmClear(false);
              void change(() => api.management.clearFlow({ type: flowType }), "Flow cleared.");
            }}
          >
            Clear for good
          </button>
          <button type="button" onClick={() => setConfirmClear(false)}>
            Cancel
          </button>
        </div>
      )}
      <ErrorBanner error={error ?? flow.error ?? triggers.error} />
      <p role="status" className="status">
        {status}
      </p>
      {triggers.data?.result.map((trigger) => (
        <TriggerSection
          key={`${flowType}/${trigger.id}`}
          trigger={trigger}
          actions={bound(trigger.id)}
          all={actions.data?.result ?? []}
          canWrite={canWrite}
          onSet={(ids, done) => setActions(trigger, ids, done)}
        />
      ))}
    </>
  );
}

interface TriggerSectionProps {
  trigger: TriggerType;
  actions: Action[];
  all: Action[];
  canWrite: boolean;
  onSet(ids: string[], done: string): Promise<void>;
}

function TriggerSection({ trigger, actions, all, canWrite, onSet }: TriggerSectionProps) {
  const [adding, setAdding] = useState("");
  const [dragged, setDragged] = useState<number>();
  const ids = actions.map((a) => a.id);
  const title = trigger.name?.localizedMessage || trigger.id;
  const headingId = `trigger-${trigger.id}`;
  const addable = all.filter((a) => !ids.includes(a.id));

  const move = (from: number, to: number) => {
    if (to < 0 || to >= ids.length || from === to) return;
    const next = [...ids];
    next.splice(to, 0, ...next.splice(from, 1));
    void onSet(next, `Moved ${actions[from]!.name} to position ${to + 1} of ${title}.`);
  };

  return (
    <section className="trigger" aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      {actions.length === 0 && <p>No actions.</p>}
      <ol className="bound">
        {actions.map((a, i) => (
          <li
            key={a.id}
            draggable={canWrite}
            onDragStart={() => setDragged(i)}
            onDragOver={(e) => dragged !== undefined && e.preventDefault()}
            onDrop={(e) => {
              e.preventDefault();
              if (dragged !== undefined) move(dragged, i);
              setDragged(undefined);
            }}
            onDragEnd={() => setDragged(undefined)}
          >
            <span className="name">{a.name}</span>
            {a.state !== ActionState.ACTIVE && <span className="badge inactive">inactive: skipped</span>}
            {canWrite && (
              <span className="buttons">
                <button type="button" aria-label={`Move ${a.name} up`} disabled={i === 0} onClick={() => move(i, i - 1)}>
                  ↑
                </button>
                <button type="button" aria-label={`Move ${a.name} down`} disabled={i === actions.length - 1} onClick={() => move(i, i + 1)}>
                  ↓
                </button>
                <button type="button" aria-label={`Remove ${a.name} from ${title}`} onClick={() => onSet(ids.filter((x) => x !== a.id), `Removed ${a.name}.`)}>
                  Remove
                </button>
              </span>
            )}
          </li>
        ))}
      </ol>
      {canWrite && addable.length > 0 && (
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            const id = adding || addable[0]!.id;
            void onSet([...ids, id], `Added to ${title}.`);
            setAdding("");
          }}
        >
          <label>
            Action to add to {title}
            <select value={adding} onChange={(e) => setAdding(e.target.value)}>
              {addable.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}
                  {a.state !== ActionState.ACTIVE ? " (inactive)" : ""}
                </option>
              ))}
            </select>
          </label>
          <button type="submit">Add</button>
        </form>
      )}
    </section>
  );
}
