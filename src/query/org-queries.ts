import { type Db, prepared } from "../store/database.js";

export interface OrgView {
  id: string;
  name: string;
  creationDate: Date;
}

export function orgExists(db: Db, id: string): boolean {
  return prepared(db, "SELECT 1 FROM orgs WHERE id = ?").get(id) !== undefined;
}

export function listOrgs(db: Db): OrgView[] {
  const rows = prepared(db, "SELECT id, name, creation_date FROM orgs ORDER BY creation_date, id").all() as {
    id: string;
    name: string;
    creation_date: number;
  }[];
  return rows.map((r) => ({ id: r.id, name: r.name, creationDate: new Date(r.creation_date) }));
}
