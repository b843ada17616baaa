import { type KeyObject, createPrivateKey } from "node:crypto";
import { compactDecrypt, decodeProtectedHeader, errors } from "jose";
import { exactText } from "./exact-text.js";
import { jweContentEncryption, jweKeyAlgorithm, jweKeyKind } from "./jwe-key-pair.js";
import { type ZitadelCallRefusal, refuse } from "./refusal.js";

// Five parts; the encrypted key is empty for direct algorithms, which the header check then refuses.
const jweCompact = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+){3}$/;

const quote = (value: unknown) => JSON.stringify(String(value).slice(0, 30));
const isJwt = (value: unknown) => typeof value === "string" && value.toUpperCase() === "JWT";

/**
 * Opens a PAYLOAD_TYPE_JWE body and returns the inner compact JWS, still to be
 * verified: anyone can encrypt to a public key, so decrypting proves nothing
 * about the sender. Only ZITADEL's algorithm for this key's kind and A256GCM are
 * accepted; `keyId`, when the target knows the id ZITADEL gave its public key,
 * must equal the header's `kid`.
 */
export async function decryptJweBody(
  body: string,
  privateKeyPem: string,
  keyId?: string,
): Promise<{ ok: true; jws: string } | ZitadelCallRefusal> {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(privateKeyPem);
  } catch {
    return refuse("not-configured", "the target's JWE private key cannot be read");
  }
  const kind = jweKeyKind(privateKey);
  if (!kind) return refuse("not-configured", "the target's JWE private key is neither RSA nor EC");
  const alg = jweKeyAlgorithm[kind];

  if (!jweCompact.test(body)) return refuse("malformed-body", "the body is not a compact JWE");
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(body);
  } catch {
    return refuse("malformed-body", "the JWE header is not a JSON object");
  }
  if (header.alg !== alg) return refuse("algorithm-not-allowed", `JWE alg ${quote(header.alg)}, expected ${alg} for this key`);
  if (header.enc !== jweContentEncryption) {
    return refuse("algorithm-not-allowed", `JWE enc ${quote(header.enc)}, expected ${jweContentEncryption}`);
  }
  if (!isJwt(header.typ) || !isJwt(header.cty)) return refuse("malformed-body", "the JWE header's typ and cty are not JWT");
  if (keyId !== undefined && header.kid !== keyId) return refuse("unknown-key", `JWE kid ${quote(header.kid)} is not the target's key`);

  let plaintext: Uint8Array;
  try {
    ({ plaintext } = await compactDecrypt(body, privateKey, {
      keyManagementAlgorithms: [alg],
      contentEncryptionAlgorithms: [jweContentEncryption],
      maxDecompressedLength: 0, // ZITADEL does not compress
    }));
  } catch (error) {
    if (error instanceof errors.JWEInvalid) return refuse("malformed-body", `the JWE is invalid: ${error.message}`);
    if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) {
      return refuse("algorithm-not-allowed", error.message);
    }
    return refuse("undecryptable", "the JWE does not decrypt with the target's private key");
  }
  const jws = exactText(plaintext);
  return jws === undefined ? refuse("malformed-body", "the JWE plaintext is not text") : { ok: true, jws };
}
