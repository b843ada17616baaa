import { generateKeyPairSync } from "node:crypto";
import { jweCurve } from "../domain/zitadel-target.js";

export interface JweKeyPair {
  /** PKIX (SPKI) PEM, the form ZITADEL's AddPublicKey takes. */
  publicKeyPem: string;
  /** PKCS#8 PEM. */
  privateKeyPem: string;
}

/** A fresh key pair for a JWE target (domain/zitadel-target.ts, jweKeyAlgorithm). */
export function generateJweKeyPair(): JweKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync("ec", {
    namedCurve: jweCurve,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
  return { publicKeyPem: publicKey, privateKeyPem: privateKey };
}
