import { useState } from "react";
import type { ActionVersion } from "../../../gen/actiond/v1/action_version_pb.js";
import { api } from "../api/clients.js";
import { formatDuration, formatTimestamp } from "../api/format.js";
import { useChange } from "../api/use-change.js";
import { useLoad } from "../api/use-load.js";
import { ConfirmDelete } from "../components/confirm-delete.js";
import { ErrorBanner } from "../components/error-banner.js";
import { VersionDiff } from "./version-diff.js";

interface ActionHistoryProps {
  actionId: string;
  /** Changes whenever the editor (re)loads or saves the action: the list is read again. */
  revision: unknown;
  draftScript: string;
  /** The editor holds changes a rollback would replace. */
  dirty: boolean;
  canWrite: boolean;
  /** After a rollback: the editor loads the action again. */
  onRolledBack(): void;
}

/**
 * A saved action's versions (docs/versions.md), newest first; one chosen is
 * diffed against the draft and, for writers, can be rolled back to (a new
 * version with that version's fields).
 */
export function ActionHistory({ actionId, revision, draftScript, dirty, canWrite, onRolledBack }: ActionHistoryProps) {
  const list = useLoad(() => api.actionVersions.listActionVersions({ actionId }), [actionId, revision]);
  const { error, status, busy, change } = useChange();
  const [selected, setSelected] = useState<number>();
  const [confirming, setConfirming] = useState(false);
  const versions = [...(list.data?.versions ?? [])].reverse();
  const newest = versions[0];
  const chosen = versions.find((v) => v.version === selected);
  // Rolling back to what the action already is changes nothing, and the server refuses it.
  const rollbackChangesSomething = chosen !== undefined && newest !== undefined && !sameFields(chosen, newest);

  async function rollback(version: number) {
    setConfirming(false);
    await change(() => api.actionVersions.rollbackAction({ actionId, version }), `Rolled back to version ${version}, as a new version.`, onRolledBack);
  }

  return (
    <section className="history" aria-labelledby="history-heading">
      <h2 id="history-heading">History</h2>
      <ErrorBanner error={list.error ?? error} />
      <p role="status" className="status">
        {status}
      </p>
      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">Versions of this action, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Made</th>
              <th scope="col">By</th>
              <th scope="col">Name</th>
              <th scope="col">Timeout</th>
              <th scope="col">Allowed to fail</th>
              <th scope="col">Script</th>
              <th scope="col">
                <span className="visually-hidden">Diff</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => (
              <VersionRow
                key={v.version}
                version={v}
                current={v.version === newest?.version}
                selected={v.version === selected}
                onSelect={() => {
                  setSelected(v.version);
                  setConfirming(false);
                }}
              />
            ))}
          </tbody>
        </table>
      </div>
      {selected !== undefined && (
        <>
          <VersionDiff actionId={actionId} version={selected} draftScript={draftScript} />
          {canWrite && rollbackChangesSomething && !confirming && (
            <button type="button" disabled={busy} onClick={() => setConfirming(true)}>
              Roll back to this version
            </button>
          )}
          {chosen && !rollbackChangesSomething && <p className="help">Version {selected} is what the action is now.</p>}
          {confirming && (
            <ConfirmDelete
              id="confirm-rollback-text"
              text={`Make the action what it was at version ${selected} again, as a new version?${dirty ? " Your unsaved changes in the editor are replaced." : ""}`}
              confirmLabel={`Roll back to version ${selected}`}
              onDelete={() => void rollback(selected)}
              onCancel={() => setConfirming(false)}
            />
          )}
        </>
      )}
    </section>
  );
}

/** Whether two versions hold the same fields: equal hashes mean equal scripts. */
function sameFields(a: ActionVersion, b: ActionVersion): boolean {
  return (
    a.scriptSha256 === b.scriptSha256 &&
    a.name === b.name &&
    a.allowedToFail === b.allowedToFail &&
    a.timeout?.seconds === b.timeout?.seconds &&
    a.timeout?.nanos === b.timeout?.nanos
  );
}

function VersionRow({ version: v, current, selected, onSelect }: { version: ActionVersion; current: boolean; selected: boolean; onSelect(): void }) {
  return (
    <tr aria-current={current ? "true" : undefined}>
      <th scope="row">
        {v.version}
        {current && " (saved)"}
      </th>
      <td>{formatTimestamp(v.creationDate)}</td>
      <td>{v.creator || "–"}</td>
      <td>{v.name}</td>
      <td>{formatDuration(v.timeout)}</td>
      <td>{v.allowedToFail ? "yes" : "no"}</td>
      <td>{v.scriptLength} bytes</td>
      <td>
        <button type="button" aria-pressed={selected} aria-label={`Compare version ${v.version} with the draft`} onClick={onSelect}>
          Compare
        </button>
      </td>
    </tr>
  );
}
