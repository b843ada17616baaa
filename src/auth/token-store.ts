import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { getCached, type Sql } from "../store/sql.js";

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
 * compares in constant time; revoked and expired tokens never verify. A
 * cached row is used only while the database is known unchanged (Sql.cachedAll),
 * so a token created or revoked by the CLI in another process takes effect on the next call.
 */
export function createTokenStore(sql: Sql, now: () => Date = () => new Date()) {
  return {
    async issue(input: { id: string; orgId: string; subject: string; roles: string[]; expiresAt?: Date }): Promise<string> {
      const secret = prefix + randomBytes(32).toString("base64url");
      await sql.run(
        `INSERT INTO tokens (id, secret_hash, org_id, subject, roles, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
        [
          input.id,
          hashSecret(secret),
          input.orgId,
          input.subject,
          JSON.stringify(input.roles),
          now().getTime(),
          input.expiresAt?.getTime() ?? null,
        ],
      );
      return secret;
    },

    async verify(secret: string): Promise<TokenRecord | undefined> {
      if (!secret.startsWith(prefix)) return undefined;
      const hash = hashSecret(secret);
      const row = await getCached<TokenRow>(sql, "SELECT * FROM tokens WHERE secret_hash = ?", [hash]);
      if (!row || !timingSafeEqual(Buffer.from(row.secret_hash, "hex"), Buffer.from(hash, "hex"))) return undefined;
      const at = now().getTime();
      if (row.revoked_at !== null || (row.expires_at !== null && row.expires_at <= at)) return undefined;
      if (at - (row.last_used_at ?? 0) >= lastUsedResolutionMs) {
        await sql.run("UPDATE tokens SET last_used_at = ? WHERE id = ?", [at, row.id]);
      }
      const { lastUsedAt: _l, revokedAt: _r, ...record } = recordFromRow(row);
      return record;
    },

    async list(): Promise<TokenListing[]> {
      return (await sql.all<TokenRow>("SELECT * FROM tokens ORDER BY created_at, id")).map(recordFromRow);
    },

    /** Returns false when no such token exists; revoking twice keeps the first time. */
    async revoke(id: string): Promise<boolean> {
      // Both engines count the rows the WHERE matched, changed or not, so an already revoked token still counts.
      return (await sql.run("UPDATE tokens SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?", [now().getTime(), id])) > 0;
    },
  };
}

export type TokenStore = ReturnType<typeof createTokenStore>;
