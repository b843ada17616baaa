import { useState } from "react";
import type { Secret } from "../../../gen/actiond/v1/secret_pb.js";
import { formatTimestamp } from "../api/format.js";
import { ConfirmDelete } from "../components/confirm-delete.js";

interface SecretsTableProps {
  secrets: Secret[];
  /** Without write access the rows carry no buttons. */
  canWrite: boolean;
  busy: boolean;
  onReplace(name: string): void;
  onDelete(name: string): void;
}

/** The org's secrets by name: when and by whom each was created and last set. Never a value: the API answers none. */
export function SecretsTable({ secrets, canWrite, busy, onReplace, onDelete }: SecretsTableProps) {
  const [confirming, setConfirming] = useState<string>();
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Created</th>
            <th scope="col">Last set</th>
            {canWrite && (
              <th scope="col">
                <span className="visually-hidden">Changes</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {secrets.map((s) => (
            <tr key={s.name}>
              <th scope="row">
                <code>{s.name}</code>
              </th>
              <td>
                {formatTimestamp(s.creationDate)}
                <br />
                by {s.createdBy || "–"}
              </td>
              <td>
                {formatTimestamp(s.changeDate)}
                <br />
                by {s.changedBy || "–"}
              </td>
              {canWrite && (
                <td>
                  {confirming === s.name ? (
                    <ConfirmDelete
                      id={`delete-secret-${s.name}`}
                      text={`Delete ${s.name}? Scripts get undefined for it from the next run on.`}
                      onDelete={() => {
                        setConfirming(undefined);
                        onDelete(s.name);
                      }}
                      onCancel={() => setConfirming(undefined)}
                    />
                  ) : (
                    <div className="buttons">
                      <button type="button" disabled={busy} aria-label={`Replace the value of ${s.name}`} onClick={() => onReplace(s.name)}>
                        Replace
                      </button>
                      <button type="button" className="danger" disabled={busy} aria-label={`Delete ${s.name}`} onClick={() => setConfirming(s.name)}>
                        Delete
                      </button>
                    </div>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
