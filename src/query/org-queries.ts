import { getCached, type Sql } from "../store/sql.js";

export interface OrgView {
  id: string;
  name: string;
  creationDate: Date;
}

export async function orgExists(sql: Sql, id: string): Promise<boolean> {
  return (await getCached(sql, "SELECT 1 AS found FROM orgs WHERE id = ?", [id])) !== undefined;
}

export async function listOrgs(sql: Sql): Promise<OrgView[]> {
  const rows = await sql.all<{ id: string; name: string; creation_date: number }>(
    "SELECT id, name, creation_date FROM orgs ORDER BY creation_date, id",
  );
  return rows.map((r) => ({ id: r.id, name: r.name, creationDate: new Date(r.creation_date) }));
}
