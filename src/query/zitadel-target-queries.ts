import type { FailurePolicy, PayloadType, ZitadelTarget } from "../domain/zitadel-target.js";
import { zitadelTargetErrors } from "../domain/zitadel-target-errors.js";
import type { Sql } from "../store/sql.js";
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

async function keysOf(sql: Sql, id: string): Promise<ZitadelTarget["signingKeys"]> {
  const rows = await sql.all<{ key_id: string; created_at: number }>(
    `SELECT key_id, created_at FROM zitadel_target_keys WHERE target_id = ? ${keysOrder}`,
    [id],
  );
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

async function targetFromRow(sql: Sql, row: ZitadelTargetRow): Promise<ZitadelTarget> {
  return {
    ...targetSettings(row),
    signingKeys: await keysOf(sql, row.id),
    publicKeyPem: row.payload_type === "jwe" ? row.public_key_pem : "",
    sequence: row.sequence,
    creationDate: new Date(row.creation_date),
    changeDate: new Date(row.change_date),
  };
}

export async function getZitadelTarget(sql: Sql, id: string): Promise<ZitadelTarget> {
  const row = await sql.get<ZitadelTargetRow>(`SELECT ${columns} FROM zitadel_targets WHERE id = ?`, [id]);
  if (!row) throw zitadelTargetErrors.notFound();
  return targetFromRow(sql, row);
}

/** The instance's targets, oldest first, with the total before offset and limit. */
export async function listZitadelTargets(sql: Sql, page: Page): Promise<{ total: number; targets: ZitadelTarget[] }> {
  const total = (await sql.get<{ total: number }>("SELECT COUNT(*) AS total FROM zitadel_targets"))?.total ?? 0;
  if (page.offset >= total) return { total, targets: [] };
  const rows = await sql.all<ZitadelTargetRow>(`SELECT ${columns} FROM zitadel_targets ORDER BY creation_position LIMIT ? OFFSET ?`, [
    page.limit,
    page.offset,
  ]);
  return { total, targets: await Promise.all(rows.map((r) => targetFromRow(sql, r))) };
}
