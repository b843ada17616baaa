/** An action as the read model holds it. */
export interface ActionView {
  id: string;
  resourceOwner: string;
  name: string;
  script: string;
  timeoutNs: number;
  allowedToFail: boolean;
  state: "active" | "inactive";
  /** The current version (event/action-versions.ts). */
  version: number;
  sequence: number;
  creationDate: Date;
  changeDate: Date;
}

export interface ActionRow {
  id: string;
  resource_owner: string;
  name: string;
  script: string;
  timeout_ns: number;
  allowed_to_fail: number;
  state: "active" | "inactive";
  version: number;
  sequence: number;
  creation_date: number;
  change_date: number;
}

export function actionFromRow(row: ActionRow): ActionView {
  return {
    id: row.id,
    resourceOwner: row.resource_owner,
    name: row.name,
    script: row.script,
    timeoutNs: row.timeout_ns,
    allowedToFail: row.allowed_to_fail === 1,
    state: row.state,
    version: Number(row.version),
    sequence: row.sequence,
    creationDate: new Date(row.creation_date),
    changeDate: new Date(row.change_date),
  };
}

