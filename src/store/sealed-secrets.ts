import { loadSecretBox, type SecretBox, SecretsKeyMismatch, sealedWith } from "./secret-box.js";
import type { Sql } from "./sql.js";

/** Every sealed value the database holds; a table that keeps sealed values adds its column here. */
const sealedValues = `
  SELECT sealed_key AS sealed FROM zitadel_target_keys
  UNION ALL SELECT sealed_private_key FROM zitadel_targets WHERE sealed_private_key != ''
  UNION ALL SELECT sealed_value FROM secrets`;

/**
 * The secret box of the key file, refused when the database holds values
 * sealed under another key: a wrong --secrets-key-file then fails at start,
 * with the reason, instead of on the first call that needs a secret, and
 * nothing new is sealed under a key that does not match the old values.
 */
export async function openSecretBox(sql: Sql, keyFile: string): Promise<SecretBox> {
  const box = loadSecretBox(keyFile);
  const sealed = await sql.all<{ sealed: string }>(sealedValues);
  const foreign = [...new Set(sealed.map((row) => sealedWith(row.sealed)))].filter((id) => id !== box.keyId);
  if (foreign.length > 0) {
    throw new SecretsKeyMismatch(
      `the database holds secrets sealed with secrets key ${foreign.join(", ")}, but ${keyFile} holds key ${box.keyId}; ` +
        "start actiond with the key file they were sealed with (--secrets-key-file)",
    );
  }
  return box;
}
