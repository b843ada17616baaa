import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { SecretOpener, SecretSealer } from "../domain/secrets.js";
import { privateDirMode, privateFileMode } from "./private-file.js";

/** The key file's name in the data dir, unless --secrets-key-file puts it elsewhere. */
export const secretsKeyFileName = "secrets.key";

/** Where the key file is when no --secrets-key-file names one. */
export function defaultSecretsKeyFile(dataDir: string): string {
  return path.join(dataDir, secretsKeyFileName);
}

const keyBytes = 32;
const ivBytes = 12;
const tagBytes = 16;
/** The sealed form's version: `v1.<key id>.<iv>.<ciphertext and tag>`, base64url parts. */
const version = "v1";

/**
 * AES-256-GCM under a key kept outside the database, so that a copy of the
 * database alone reveals no secret (docs/zitadel-v2-target.md, Secrets at rest).
 * Each sealed value names the key it was sealed with, so a later rotation can
 * open old values with the old key, and is bound to what it belongs to (the
 * GCM additional data), so it cannot be moved to another row.
 */
export interface SecretBox extends SecretSealer, SecretOpener {
  /** Names the key without revealing it: a one-way digest. */
  readonly keyId: string;
}

/** The secrets key does not open what the database holds: the operator's to resolve. */
export class SecretsKeyMismatch extends Error {
  override readonly name = "SecretsKeyMismatch";
}

export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== keyBytes) throw new Error(`a secrets key has ${keyBytes} bytes, not ${key.length}`);
  const keyId = crypto.createHmac("sha256", key).update("actiond secrets key id").digest("hex").slice(0, 16);
  const additionalData = (binding: string) => Buffer.from(`${version}.${keyId}.${binding}`, "utf8");

  return {
    keyId,
    seal(plaintext, binding) {
      const iv = crypto.randomBytes(ivBytes);
      const cipher = crypto.createCipheriv("aes-256-gcm", key, iv).setAAD(additionalData(binding));
      const sealed = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
      return [version, keyId, iv.toString("base64url"), sealed.toString("base64url")].join(".");
    },
    open(sealed, binding) {
      const [v, sealedKeyId, iv, body, ...extra] = sealed.split(".");
      if (v !== version || !sealedKeyId || !iv || !body || extra.length > 0) throw new SecretsKeyMismatch("a sealed secret is malformed");
      if (sealedKeyId !== keyId) {
        throw new SecretsKeyMismatch(
          `a secret was sealed with secrets key ${sealedKeyId}, but the secrets key file holds key ${keyId}; ` +
            "start actiond with the key file the secrets were sealed with (--secrets-key-file)",
        );
      }
      const bytes = Buffer.from(body, "base64url");
      const decipher = crypto
        .createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"))
        .setAAD(additionalData(binding))
        .setAuthTag(bytes.subarray(bytes.length - tagBytes));
      try {
        return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - tagBytes)), decipher.final()]).toString("utf8");
      } catch {
        throw new SecretsKeyMismatch("a sealed secret does not open: it was altered or moved to another row");
      }
    },
  };
}

/**
 * The secret box of the key file, which is created on first use: 32 random
 * bytes, owner-only. It is written beside its final name and linked into
 * place, so a server and a CLI starting at once agree on one key, and no
 * reader ever sees a partial file.
 */
export function loadSecretBox(file: string): SecretBox {
  let key = readKey(file);
  if (!key) {
    createKeyFile(file);
    key = readKey(file)!;
  }
  return createSecretBox(key);
}

/** The id of the key a value was sealed with. */
export function sealedWith(sealed: string): string {
  return sealed.split(".")[1] ?? "";
}

function readKey(file: string): Buffer | undefined {
  let key: Buffer;
  try {
    key = fs.readFileSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
  if (key.length !== keyBytes) throw new Error(`${file}: a secrets key file holds exactly ${keyBytes} bytes, this one holds ${key.length}`);
  return key;
}

function createKeyFile(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: privateDirMode });
  const temp = `${file}.${process.pid}.${crypto.randomBytes(6).toString("hex")}.tmp`;
  const fd = fs.openSync(temp, "wx", privateFileMode);
  try {
    fs.writeSync(fd, crypto.randomBytes(keyBytes));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.linkSync(temp, file);
  } catch (err) {
    // Another process created it first: its key is the one.
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  } finally {
    fs.unlinkSync(temp);
  }
}
