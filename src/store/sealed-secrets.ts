import type { Db } from "./database.js";
import { loadSecretBox, type SecretBox, SecretsKeyMismatch, sealedWith } from "./secret-box.js";

/** Every sealed value the database holds; a table that keeps sealed values adds its column here. */
const sealedValues = `
  SELECT sealed_key FROM zitadel_target_keys
  UNION ALL SELECT sealed_private_key FROM zitadel_targets WHERE sealed_private_key != ''`;

/**
 * The secret box of the key file, refused when the database holds values
 * sealed under another key: a wrong --secrets-key-file then fails at start,
 * with the reason, instead of on the first call that needs a secret, and
 * nothing new is sealed under a key that does not match the old values.
 */
export function openSecretBox(db: Db, keyFile: string): SecretBox {
  const box = loadSecretBox(keyFile);
  const sealed = db.prepare(sealedValues).pluck().all() as string[];
  const foreign = [...new Set(sealed.map(sealedWith))].filter((id) => id !== box.keyId);
  if (foreign.length > 0) {
    throw new SecretsKeyMismatch(
      `the database holds secrets sealed with secrets key ${foreign.join(", ")}, but ${keyFile} holds key ${box.keyId}; ` +
        "start actiond with the key file they were sealed with (--secrets-key-file)",
    );
  }
  return box;
}
