import type { SecretOpener } from "../domain/secrets.js";
import { secretBinding, type ZitadelTargetSecrets } from "../domain/zitadel-target.js";
import { type Db, prepared } from "../store/database.js";
import { type ZitadelTargetRow, keysOrder, targetSettings } from "./zitadel-target-queries.js";

/**
 * The target with its keys opened, to trust a call to its endpoint; undefined
 * for an unknown id. Only the endpoint calls this: nothing it returns may
 * reach an answer, a log line or an error.
 */
export function findZitadelTarget(db: Db, secrets: SecretOpener, id: string): ZitadelTargetSecrets | undefined {
  const row = prepared(db, "SELECT * FROM zitadel_targets WHERE id = ?").get(id) as
    | (ZitadelTargetRow & { sealed_private_key: string })
    | undefined;
  if (!row) return undefined;
  const keys = prepared(db, `SELECT key_id, sealed_key FROM zitadel_target_keys WHERE target_id = ? ${keysOrder}`).all(id) as {
    key_id: string;
    sealed_key: string;
  }[];
  return {
    ...targetSettings(row),
    signingKeys: keys.map((k) => ({ id: k.key_id, key: secrets.open(k.sealed_key, secretBinding.signingKey(id, k.key_id)) })),
    jwePrivateKeyPem: row.payload_type === "jwe" ? secrets.open(row.sealed_private_key, secretBinding.jwePrivateKey(id)) : "",
  };
}
