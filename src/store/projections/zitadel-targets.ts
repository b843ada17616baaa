import type { StoredZitadelTargetEvent } from "../../event/events.js";
import type { Sql } from "../sql.js";

/**
 * Read models `zitadel_targets` and `zitadel_target_keys`: one row per live
 * target and per key. Keys and the JWE private key are stored as sealed in
 * the events; only query/zitadel-target-secrets.ts opens them.
 */
export async function projectZitadelTarget(tx: Sql, event: StoredZitadelTargetEvent): Promise<void> {
  const touch = { id: event.aggregateId, sequence: event.sequence, at: event.createdAt.getTime() };
  switch (event.type) {
    case "zitadel_target.added": {
      const { keyPair, ...fields } = event.payload;
      await tx.run(
        `INSERT INTO zitadel_targets (id, name, payload_type, org_id, issuer, failure_policy, public_key_pem, sealed_private_key,
           sequence, creation_date, change_date, creation_position)
         VALUES (@id, @name, @payloadType, @orgId, @issuer, @failurePolicy, @publicKeyPem, @sealedPrivateKey,
           @sequence, @at, @at, @position)`,
        {
          ...touch,
          ...fields,
          publicKeyPem: keyPair?.publicKeyPem ?? "",
          sealedPrivateKey: keyPair?.sealedPrivateKey ?? "",
          position: event.position,
        },
      );
      return;
    }
    case "zitadel_target.changed": {
      const p = event.payload;
      await tx.run(
        `UPDATE zitadel_targets SET name = COALESCE(@name, name), payload_type = COALESCE(@payloadType, payload_type),
           org_id = COALESCE(@orgId, org_id), issuer = COALESCE(@issuer, issuer), failure_policy = COALESCE(@failurePolicy, failure_policy),
           public_key_pem = COALESCE(@publicKeyPem, public_key_pem), sealed_private_key = COALESCE(@sealedPrivateKey, sealed_private_key),
           sequence = @sequence, change_date = @at WHERE id = @id`,
        {
          ...touch,
          name: p.name ?? null,
          payloadType: p.payloadType ?? null,
          orgId: p.orgId ?? null,
          issuer: p.issuer ?? null,
          failurePolicy: p.failurePolicy ?? null,
          publicKeyPem: p.keyPair?.publicKeyPem ?? null,
          sealedPrivateKey: p.keyPair?.sealedPrivateKey ?? null,
        },
      );
      return;
    }
    case "zitadel_target.key.added":
      await tx.run("INSERT INTO zitadel_target_keys (target_id, key_id, sealed_key, created_at) VALUES (?, ?, ?, ?)", [
        event.aggregateId,
        event.payload.keyId,
        event.payload.sealedKey,
        touch.at,
      ]);
      await touchTarget(tx, touch);
      return;
    case "zitadel_target.key.removed":
      await tx.run("DELETE FROM zitadel_target_keys WHERE target_id = ? AND key_id = ?", [event.aggregateId, event.payload.keyId]);
      await touchTarget(tx, touch);
      return;
    case "zitadel_target.removed":
      await tx.run("DELETE FROM zitadel_targets WHERE id = ?", [event.aggregateId]);
      return;
    // A resealed key is the same key: only the sequence moves on, as in the write model.
    case "zitadel_target.key.resealed":
      await tx.run("UPDATE zitadel_target_keys SET sealed_key = ? WHERE target_id = ? AND key_id = ?", [
        event.payload.sealedKey,
        event.aggregateId,
        event.payload.keyId,
      ]);
      await tx.run("UPDATE zitadel_targets SET sequence = ? WHERE id = ?", [touch.sequence, touch.id]);
      return;
    case "zitadel_target.private_key.resealed":
      await tx.run("UPDATE zitadel_targets SET sealed_private_key = ?, sequence = ? WHERE id = ?", [
        event.payload.sealedPrivateKey,
        touch.sequence,
        touch.id,
      ]);
      return;
    default: {
      const unhandled: never = event;
      throw new Error(`unprojected event ${(unhandled as StoredZitadelTargetEvent).type}`);
    }
  }
}

async function touchTarget(tx: Sql, touch: { id: string; sequence: number; at: number }): Promise<void> {
  await tx.run("UPDATE zitadel_targets SET sequence = @sequence, change_date = @at WHERE id = @id", touch);
}
