import type { FailurePolicy, PayloadType, ZitadelTarget } from "../domain/zitadel-target.js";
import { zitadelTargetErrors } from "../domain/zitadel-target-errors.js";
import { type Db, prepared } from "../store/database.js";
import type { Page } from "./page.js";

/** The columns every read takes: never a sealed one. */
const columns = "id, name, payload_type, org_id, issuer, failure_policy, public_key_pem, sequence, creation_date, change_date";

export interface ZitadelTargetRow {
  id: string;
  name: string;
  payload_type: PayloadType;
  org_id: string;
  issuer: string;
  failure_policy: FailurePolicy;
  public_key_pem: string;
  sequence: number;
  creation_date: number;
  change_date: number;
}

/** Key ids are counted from 1: shorter is smaller. */
export const keysOrder = "ORDER BY length(key_id), key_id";

function keysOf(db: Db, id: string): ZitadelTarget["signingKeys"] {
  const rows = prepared(db, `SELECT key_id, created_at FROM zitadel_target_keys WHERE target_id = ? ${keysOrder}`).all(id) as {
    key_id: string;
    created_at: number;
  }[];
  return rows.map((r) => ({ id: r.key_id, createdAt: new Date(r.created_at) }));
}

/** What reads and the endpoint's lookup both take from a row. */
export function targetSettings(row: ZitadelTargetRow) {
  return {
    id: row.id,
    name: row.name,
    payloadType: row.payload_type,
    orgId: row.org_id,
    issuer: row.issuer,
    failurePolicy: row.failure_policy,
  };
}

function targetFromRow(db: Db, row: ZitadelTargetRow): ZitadelTarget {
  return {
    ...targetSettings(row),
    signingKeys: keysOf(db, row.id),
    publicKeyPem: row.payload_type === "jwe" ? row.public_key_pem : "",
    sequence: row.sequence,
    creationDate: new Date(row.creation_date),
    changeDate: new Date(row.change_date),
  };
}

export function getZitadelTarget(db: Db, id: string): ZitadelTarget {
  const row = prepared(db, `SELECT ${columns} FROM zitadel_targets WHERE id = ?`).get(id) as ZitadelTargetRow | undefined;
  if (!row) throw zitadelTargetErrors.notFound();
  return targetFromRow(db, row);
}

/** The instance's targets, oldest first, with the total before offset and limit. */
export function listZitadelTargets(db: Db, page: Page): { total: number; targets: ZitadelTarget[] } {
  const total = prepared(db, "SELECT COUNT(*) FROM zitadel_targets").pluck().get() as number;
  if (page.offset >= total) return { total, targets: [] };
  const rows = prepared(db, `SELECT ${columns} FROM zitadel_targets ORDER BY creation_position LIMIT ? OFFSET ?`).all(
    page.limit,
    page.offset,
  ) as ZitadelTargetRow[];
  return { total, targets: rows.map((r) => targetFromRow(db, r)) };
}
