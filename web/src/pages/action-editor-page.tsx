import { useEffect, useRef, useState } from "react";
import { useLocation } from "wouter";
import { ActionState } from "../../../gen/zitadel/action/v1/action_pb.js";
import { type ApiError, fieldError, toApiError } from "../api/api-error.js";
import { api } from "../api/clients.js";
import { durationSeconds, secondsToDuration } from "../api/format.js";
import { ErrorBanner } from "../components/error-banner.js";
import { setUnsavedChanges } from "../components/leave-guard.js";
import { StateBadge } from "../components/state-badge.js";
import { ScriptEditor } from "../editor/script-editor.js";
import { describeProblem, type ScriptProblem } from "../editor/script-problem.js";
import { findSyntaxError } from "../editor/syntax-check.js";
import { type Draft, TestPanel } from "../editor/test-panel.js";
import { useSession } from "../session/use-session.js";
import { useChange } from "../api/use-change.js";
import { ConfirmDelete } from "../components/confirm-delete.js";
import { ActionHistory } from "../history/action-history.js";

const newScript = `function addClaim(ctx, api) {
  api.v1.claims.setClaim("team", "blue");
}
`;

const emptyDraft: Draft = { name: "addClaim", script: newScript, timeoutSeconds: 10, allowedToFail: false };

/**
 * One action: its fields and script, saved with CreateAction or UpdateAction;
 * deactivate, reactivate and delete; the test panel beside it. The API's
 * errors stand next to the field they name; a syntax error or a test run's
 * failure is marked in the script.
 */
export default function ActionEditorPage({ id }: { id: string | undefined }) {
  const canWrite = useSession()?.canWrite ?? false;
  const [, navigate] = useLocation();
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [saved, setSaved] = useState<Draft | undefined>(id ? undefined : emptyDraft);
  const [state, setState] = useState(ActionState.ACTIVE);
  const [loadError, setLoadError] = useState<ApiError>();
  const { error, setError, status, setStatus, busy, change: write } = useChange();
  const [problems, setProblems] = useState<ScriptProblem[]>([]);
  const [confirmDelete, setConfirmDelete] = useState(false);
  // Counts loads of the saved action: a rollback changes it on the server, so it is read again.
  const [loads, setLoads] = useState(0);
  const current = useRef(draft);
  current.current = draft;

  useEffect(() => {
    if (!id) return;
    api.management.getAction({ id }).then(
      ({ action }) => {
        const loaded = {
          name: action?.name ?? "",
          script: action?.script ?? "",
          timeoutSeconds: durationSeconds(action?.timeout),
          allowedToFail: action?.allowedToFail ?? false,
        };
        setDraft(loaded);
        setSaved(loaded);
        setState(action?.state ?? ActionState.UNSPECIFIED);
      },
      (err: unknown) => setLoadError(toApiError(err)),
    );
  }, [id, loads]);

  const dirty = saved !== undefined && JSON.stringify(draft) !== JSON.stringify(saved);
  useEffect(() => {
    setUnsavedChanges(dirty);
    return () => setUnsavedChanges(false);
  }, [dirty]);

  const edit = (patch: Partial<Draft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setStatus("");
    if ("script" in patch) setProblems([]);
  };

  async function save() {
    const syntax = findSyntaxError(draft.script);
    if (syntax) {
      setProblems([syntax]);
      setError({ code: "InvalidArgument", message: "Not saved: the script has a syntax error.", fields: { script: describeProblem(syntax) } });
      return;
    }
    setProblems([]);
    const body = { name: draft.name, script: draft.script, timeout: secondsToDuration(draft.timeoutSeconds), allowedToFail: draft.allowedToFail };
    const snapshot = draft;
    if (id) {
      if (await write(() => api.management.updateAction({ id, ...body }), "Saved.")) setSaved(snapshot);
      return;
    }
    let created = "";
    if (await write(async () => ({ id: created } = await api.management.createAction(body)), "Created.")) {
      setUnsavedChanges(false);
      navigate(`/actions/${created}`, { replace: true });
    }
  }

  async function setActive(active: boolean) {
    if (!id) return;
    const ok = await write(
      () => (active ? api.management.reactivateAction({ id }) : api.management.deactivateAction({ id })),
      active ? "Reactivated." : "Deactivated.",
    );
    if (ok) setState(active ? ActionState.ACTIVE : ActionState.INACTIVE);
  }

  async function remove() {
    if (!id) return;
    if (await write(() => api.management.deleteAction({ id }), "Deleted.")) {
      setUnsavedChanges(false);
      navigate("/actions");
    }
  }

  if (loadError) return <ErrorBanner error={loadError} />;
  if (!saved) return <p role="status">Loading…</p>;

  const nameError = fieldError(error, "name");
  const timeoutError = fieldError(error, "timeout");
  const scriptError = fieldError(error, "script");
  const otherError = error && !nameError && !timeoutError && !scriptError ? error : undefined;
  const readOnly = !canWrite;

  return (
    <div className="editor-page">
      <form
        className="editor"
        aria-labelledby="editor-heading"
        onSubmit={(e) => {
          e.preventDefault();
          if (canWrite) void save();
        }}
      >
        <div className="page-head">
          <h1 id="editor-heading">{id ? saved.name || "Action" : "New action"}</h1>
          {id && <StateBadge state={state} />}
          {dirty && <span className="badge unsaved">unsaved changes</span>}
        </div>
        <label htmlFor="action-name">Name</label>
        <input
          id="action-name"
          value={draft.name}
          readOnly={readOnly}
          aria-required
          aria-invalid={nameError ? true : undefined}
          aria-describedby={nameError ? "action-name-error" : undefined}
          onChange={(e) => edit({ name: e.target.value })}
        />
        {nameError && (
          <p id="action-name-error" className="field-error">
            {nameError}
          </p>
        )}
        <span className="label" aria-hidden>
          Script
        </span>
        <ScriptEditor
          value={draft.script}
          onChange={(script) => edit({ script })}
          problems={problems}
          readOnly={readOnly}
          label="Script"
        />
        {(scriptError || problems.length > 0) && (
          <p id="script-error" className="field-error" role="alert">
            {scriptError ?? problems.map(describeProblem).join("; ")}
          </p>
        )}
        <div className="row">
          <label>
            Timeout (seconds, at most 20)
            <input
              type="number"
              step="any"
              value={draft.timeoutSeconds}
              readOnly={readOnly}
              aria-invalid={timeoutError ? true : undefined}
              aria-describedby={timeoutError ? "timeout-error" : undefined}
              onChange={(e) => edit({ timeoutSeconds: Number(e.target.value) })}
            />
          </label>
          <label className="check">
            <input
              type="checkbox"
              checked={draft.allowedToFail}
              disabled={readOnly}
              onChange={(e) => edit({ allowedToFail: e.target.checked })}
            />
            Allowed to fail
          </label>
        </div>
        {timeoutError && (
          <p id="timeout-error" className="field-error">
            {timeoutError}
          </p>
        )}
        <ErrorBanner error={otherError} />
        <p role="status" className="status">
          {status}
        </p>
        {canWrite && (
          <div className="actions-bar">
            <button type="submit" className="primary" disabled={busy || (id !== undefined && !dirty)}>
              {id ? "Save" : "Create"}
            </button>
            {id && state === ActionState.ACTIVE && (
              <button type="button" disabled={busy} onClick={() => setActive(false)}>
                Deactivate
              </button>
            )}
            {id && state !== ActionState.ACTIVE && (
              <button type="button" disabled={busy} onClick={() => setActive(true)}>
                Reactivate
              </button>
            )}
            {id && !confirmDelete && (
              <button type="button" className="danger" disabled={busy} onClick={() => setConfirmDelete(true)}>
                Delete
              </button>
            )}
          </div>
        )}
        {confirmDelete && (
          <ConfirmDelete
            id="confirm-delete-text"
            text={`Delete “${saved.name}” for good? It is also removed from every flow.`}
            onDelete={remove}
            onCancel={() => setConfirmDelete(false)}
          />
        )}
      </form>
      {canWrite && <TestPanel draft={() => current.current} onProblem={(p) => setProblems(p ? [p] : [])} />}
      {id && (
        <ActionHistory actionId={id} revision={saved} draftScript={draft.script} dirty={dirty} canWrite={canWrite} onRolledBack={() => setLoads((n) => n + 1)} />
      )}
    </div>
  );
}
