import type { SecretOpener } from "../domain/secrets.js";
import { secretBinding, type ZitadelTargetSecrets } from "../domain/zitadel-target.js";
import type { Sql } from "../store/sql.js";
import { type ZitadelTargetRow, keysOrder, targetSettings } from "./zitadel-target-queries.js";

/**
 * The target with its keys opened, to trust a call to its endpoint; undefined
 * for an unknown id. Only the endpoint calls this: nothing it returns may
 * reach an answer, a log line or an error.
 */
export async function findZitadelTarget(sql: Sql, secrets: SecretOpener, id: string): Promise<ZitadelTargetSecrets | undefined> {
  const row = await sql.get<ZitadelTargetRow & { sealed_private_key: string }>("SELECT * FROM zitadel_targets WHERE id = ?", [id]);
  if (!row) return undefined;
  const keys = await sql.all<{ key_id: string; sealed_key: string }>(
    `SELECT key_id, sealed_key FROM zitadel_target_keys WHERE target_id = ? ${keysOrder}`,
    [id],
  );
  return {
    ...targetSettings(row),
    signingKeys: keys.map((k) => ({ id: k.key_id, key: secrets.open(k.sealed_key, secretBinding.signingKey(id, k.key_id)) })),
    jwePrivateKeyPem: row.payload_type === "jwe" ? secrets.open(row.sealed_private_key, secretBinding.jwePrivateKey(id)) : "",
  };
}
