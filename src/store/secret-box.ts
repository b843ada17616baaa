import crypto from "node:crypto";
import type { SecretOpener, SecretResealer, SecretSealer } from "../domain/secrets.js";

/** AES-256 takes a key of 32 bytes. */
export const secretsKeyBytes = 32;
const ivBytes = 12;
const tagBytes = 16;
/** The sealed form's version: `v1.<key id>.<iv>.<ciphertext and tag>`, base64url parts. */
const version = "v1";

/**
 * AES-256-GCM under keys kept outside the database, so that a copy of the
 * database alone reveals no secret (docs/secrets.md, At rest). A box holds a
 * keyring: the first key seals, every key opens what it sealed, so the key can
 * be rotated while values sealed with the old one are still in use. Each
 * sealed value names the key it was sealed with and is bound to what it
 * belongs to (the GCM additional data), so it cannot be moved to another row.
 */
export interface SecretBox extends SecretSealer, SecretOpener, SecretResealer {
  /** The key that seals; names it without revealing it: a one-way digest. */
  readonly keyId: string;
  /** Every key the box opens with, the sealing key first. */
  readonly keyIds: readonly string[];
}

/** The secrets key does not open what the database holds: the operator's to resolve. */
export class SecretsKeyMismatch extends Error {
  override readonly name = "SecretsKeyMismatch";
}

/** A key's id: a one-way digest, so lists and errors can name a key without revealing it. */
export function secretsKeyId(key: Buffer): string {
  return crypto.createHmac("sha256", key).update("actiond secrets key id").digest("hex").slice(0, 16);
}

/** How every value a key seals begins. */
export function sealedPrefix(keyId: string): string {
  return `${version}.${keyId}.`;
}

/** The id of the key a value was sealed with. */
export function sealedWith(sealed: string): string {
  return sealed.split(".")[1] ?? "";
}

/** A keyring of one or more keys, the first of which seals. */
export function createSecretBox(keys: Buffer | readonly Buffer[]): SecretBox {
  const ring = Buffer.isBuffer(keys) ? [keys] : keys;
  if (ring.length === 0) throw new Error("a secrets keyring holds at least one key");
  const byId = new Map<string, Buffer>();
  for (const key of ring) {
    if (key.length !== secretsKeyBytes) throw new Error(`a secrets key has ${secretsKeyBytes} bytes, not ${key.length}`);
    byId.set(secretsKeyId(key), key);
  }
  const keyIds = [...byId.keys()];
  const keyId = keyIds[0]!;
  const sealingKey = byId.get(keyId)!;
  const additionalData = (id: string, binding: string) => Buffer.from(`${version}.${id}.${binding}`, "utf8");

  const box: SecretBox = {
    keyId,
    keyIds,
    seal(plaintext, binding) {
      const iv = crypto.randomBytes(ivBytes);
      const cipher = crypto.createCipheriv("aes-256-gcm", sealingKey, iv).setAAD(additionalData(keyId, binding));
      const sealed = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
      return [version, keyId, iv.toString("base64url"), sealed.toString("base64url")].join(".");
    },
    open(sealed, binding) {
      const [v, sealedKeyId, iv, body, ...extra] = sealed.split(".");
      if (v !== version || !sealedKeyId || !iv || !body || extra.length > 0) throw new SecretsKeyMismatch("a sealed secret is malformed");
      const key = byId.get(sealedKeyId);
      if (!key) {
        throw new SecretsKeyMismatch(
          `a secret was sealed with secrets key ${sealedKeyId}, but the secrets key file holds ${describeKeys(keyIds)}; ` +
            "start actiond with a key file that holds that key (--secrets-key-file)",
        );
      }
      const bytes = Buffer.from(body, "base64url");
      const decipher = crypto
        .createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"))
        .setAAD(additionalData(sealedKeyId, binding))
        .setAuthTag(bytes.subarray(bytes.length - tagBytes));
      try {
        return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - tagBytes)), decipher.final()]).toString("utf8");
      } catch {
        throw new SecretsKeyMismatch("a sealed secret does not open: it was altered or moved to another row");
      }
    },
    reseal(sealed, binding) {
      return sealedWith(sealed) === keyId ? undefined : box.seal(box.open(sealed, binding), binding);
    },
  };
  return box;
}

/** "key a" or "keys a, b": what an error says a key file holds. */
export function describeKeys(keyIds: readonly string[]): string {
  return `${keyIds.length === 1 ? "key" : "keys"} ${keyIds.join(", ")}`;
}
