import type { SealedAggregate } from "../domain/secrets.js";
import type { Logger } from "../logger.js";
import { type LiveSecretBox, loadSecretBox, logKeyFileReload } from "./live-secret-box.js";
import { describeKeys, SecretsKeyMismatch, sealedPrefix, sealedWith } from "./secret-box.js";
import type { Sql } from "./sql.js";

/** Every sealed value the database holds; a table that keeps sealed values adds its column here. */
const sealedValues = `
  SELECT sealed_key AS sealed FROM zitadel_target_keys
  UNION ALL SELECT sealed_private_key FROM zitadel_targets WHERE sealed_private_key != ''
  UNION ALL SELECT sealed_value FROM secrets`;

/** How many of the values the database holds each key sealed, by key id. */
export async function countSealedByKey(sql: Sql): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const { sealed } of await sql.all<{ sealed: string }>(sealedValues)) {
    const id = sealedWith(sealed);
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

/** The keys the database holds values of that are not among `keyIds`. */
async function keysMissing(sql: Sql, keyIds: readonly string[]): Promise<string[]> {
  return [...(await countSealedByKey(sql)).keys()].filter((id) => !keyIds.includes(id));
}

/**
 * The secret box of the key file, refused when the database holds values
 * sealed with a key the file does not hold: a wrong --secrets-key-file then
 * fails at start, with the reason, instead of on the first call that needs a
 * secret, and nothing new is sealed beside values no key opens. With a log
 * (a server), each later reload of the file is logged, and so is a reloaded
 * file that lacks a key the database needs, since the calls that open those
 * values will fail.
 */
export async function openSecretBox(sql: Sql, keyFile: string, log?: Logger): Promise<LiveSecretBox> {
  const logReload = log && logKeyFileReload(log);
  const box = loadSecretBox(keyFile, (reload) => {
    logReload?.(reload);
    if (!log || "error" in reload) return;
    keysMissing(sql, reload.keyIds).then(
      (missing) => missing.length > 0 && log.error("the secrets key file lacks keys the database holds values of; calls that open them fail", { missing }),
      (err: Error) => log.warn("could not compare the secrets key file with the database", { reason: err.message }),
    );
  });
  const missing = await keysMissing(sql, box.keyIds);
  if (missing.length > 0) {
    throw new SecretsKeyMismatch(
      `the database holds secrets sealed with secrets ${describeKeys(missing)}, but ${keyFile} holds ${describeKeys(box.keyIds)}; ` +
        "start actiond with a key file that holds them (--secrets-key-file)",
    );
  }
  return box;
}

/**
 * The aggregates that hold a value sealed with any key but `keyId`: what a
 * reseal has to seal again. Read from the read models, which hold each
 * aggregate's current values; the reseal itself decides on the events.
 */
export async function aggregatesSealedWithOtherKeys(sql: Sql, keyId: string): Promise<SealedAggregate[]> {
  const prefix = `${sealedPrefix(keyId)}%`;
  const rows = await sql.all<SealedAggregate>(
    `SELECT DISTINCT 'secret' AS type, resource_owner AS id FROM secrets WHERE sealed_value NOT LIKE @prefix
     UNION SELECT DISTINCT 'zitadel_target', target_id FROM zitadel_target_keys WHERE sealed_key NOT LIKE @prefix
     UNION SELECT DISTINCT 'zitadel_target', id FROM zitadel_targets WHERE sealed_private_key != '' AND sealed_private_key NOT LIKE @prefix
     ORDER BY 1, 2`,
    { prefix },
  );
  return rows;
}
