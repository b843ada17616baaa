import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { type Db, prepared } from "../store/database.js";

export interface TokenRecord {
  id: string;
  orgId: string;
  subject: string;
  roles: string[];
  createdAt: Date;
  expiresAt?: Date;
}

/** What `token list` shows: never the secret, nor its hash. */
export interface TokenListing extends TokenRecord {
  lastUsedAt?: Date;
  revokedAt?: Date;
}

interface TokenRow {
  id: string;
  secret_hash: string;
  org_id: string;
  subject: string;
  roles: string;
  created_at: number;
  expires_at: number | null;
  last_used_at: number | null;
  revoked_at: number | null;
}

function recordFromRow(row: TokenRow): TokenListing {
  return {
    id: row.id,
    orgId: row.org_id,
    subject: row.subject,
    roles: JSON.parse(row.roles),
    createdAt: new Date(row.created_at),
    expiresAt: row.expires_at === null ? undefined : new Date(row.expires_at),
    lastUsedAt: row.last_used_at === null ? undefined : new Date(row.last_used_at),
    revokedAt: row.revoked_at === null ? undefined : new Date(row.revoked_at),
  };
}

/** "Last used" is kept to the minute: a write per call would serialise every read behind the write lock. */
const lastUsedResolutionMs = 60_000;

const prefix = "actiond_";

/** Secrets carry 256 random bits, so one SHA-256 is enough to store them safely. */
function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

/**
 * Service tokens, stored only as hashes. `verify` finds the row by hash and
 * compares in constant time; revoked and expired tokens never verify. Every
 * read goes to the database, so a token created or revoked by the CLI in
 * another process takes effect on the next call.
 */
export function createTokenStore(db: Db, now: () => Date = () => new Date()) {
  return {
    issue(input: { id: string; orgId: string; subject: string; roles: string[]; expiresAt?: Date }): string {
      const secret = prefix + randomBytes(32).toString("base64url");
      prepared(
        db,
        `INSERT INTO tokens (id, secret_hash, org_id, subject, roles, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        input.id,
        hashSecret(secret),
        input.orgId,
        input.subject,
        JSON.stringify(input.roles),
        now().getTime(),
        input.expiresAt?.getTime() ?? null,
      );
      return secret;
    },

    verify(secret: string): TokenRecord | undefined {
      if (!secret.startsWith(prefix)) return undefined;
      const hash = hashSecret(secret);
      const row = prepared(db, "SELECT * FROM tokens WHERE secret_hash = ?").get(hash) as TokenRow | undefined;
      if (!row || !timingSafeEqual(Buffer.from(row.secret_hash, "hex"), Buffer.from(hash, "hex"))) return undefined;
      const at = now().getTime();
      if (row.revoked_at !== null || (row.expires_at !== null && row.expires_at <= at)) return undefined;
      if (at - (row.last_used_at ?? 0) >= lastUsedResolutionMs) {
        prepared(db, "UPDATE tokens SET last_used_at = ? WHERE id = ?").run(at, row.id);
      }
      const { lastUsedAt: _l, revokedAt: _r, ...record } = recordFromRow(row);
      return record;
    },

    list(): TokenListing[] {
      return (prepared(db, "SELECT * FROM tokens ORDER BY created_at, id").all() as TokenRow[]).map(recordFromRow);
    },

    /** Returns false when no such token exists; revoking twice keeps the first time. */
    revoke(id: string): boolean {
      // SQLite counts rows matched, not rows changed, so an already revoked token still counts.
      return prepared(db, "UPDATE tokens SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?").run(now().getTime(), id).changes > 0;
    },
  };
}

export type TokenStore = ReturnType<typeof createTokenStore>;
