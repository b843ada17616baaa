import { type KeyObject, generateKeyPair } from "node:crypto";

/** The two key kinds ZITADEL encrypts calls to, by the public key's type (docs/zitadel-v2-target.md, "Trusting a call"). */
export type JweKeyKind = "rsa" | "ec";

/** The JWE `alg` ZITADEL uses for each kind; the content encryption is always A256GCM. */
export const jweKeyAlgorithm = { rsa: "RSA-OAEP-256", ec: "ECDH-ES+A256KW" } as const satisfies Record<JweKeyKind, string>;

export const jweContentEncryption = "A256GCM";

export interface JweKeyPair {
  kind: JweKeyKind;
  /** SPKI ("PUBLIC KEY") PEM: what ZITADEL's "add public key" takes, base64-encoded once more in its JSON. */
  publicKeyPem: string;
  /** PKCS#8 PEM; actiond keeps it sealed and never shows it. */
  privateKeyPem: string;
}

/**
 * A fresh key pair for a PAYLOAD_TYPE_JWE target. RSA is 3072 bits (security
 * beyond 2030, where 2048 stops); EC is P-256, which ZITADEL's encrypter takes
 * like any ECDSA public key.
 */
export function generateJweKeyPair(kind: JweKeyKind): Promise<JweKeyPair> {
  const encoding = {
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  } as const;
  // Asynchronous: a 3072-bit RSA key takes long enough to stall the event loop.
  return new Promise((resolve, reject) => {
    const done = (error: Error | null, publicKeyPem: string, privateKeyPem: string) =>
      error ? reject(error) : resolve({ kind, publicKeyPem, privateKeyPem });
    if (kind === "rsa") generateKeyPair("rsa", { modulusLength: 3072, ...encoding }, done);
    else generateKeyPair("ec", { namedCurve: "P-256", ...encoding }, done);
  });
}

/** The kind of a private key, or undefined for any key ZITADEL cannot encrypt to. */
export function jweKeyKind(privateKey: KeyObject): JweKeyKind | undefined {
  const type = privateKey.asymmetricKeyType;
  return type === "rsa" || type === "ec" ? type : undefined;
}
