/**
 * A ZITADEL target: what actiond needs to trust a call from ZITADEL Actions v2
 * and to route it to an org's v1 flows (docs/zitadel-v2-target.md). Targets
 * belong to the instance, not to an org.
 */

/** How ZITADEL encodes the body: plain JSON with an HMAC header, a JWS, or a JWS inside a JWE. */
export type PayloadType = "json" | "jwt" | "jwe";

/** What ZITADEL is told when an action that may not fail fails: a forwarded 403, or a 5xx. */
export type FailurePolicy = "forward-403" | "server-error";

export interface ZitadelTargetFields {
  name: string;
  payloadType: PayloadType;
  /** The org whose flows run; "" routes by the payload's org. */
  orgId: string;
  /** ZITADEL's issuer URL (JWT and JWE only); "" for JSON. */
  issuer: string;
  failurePolicy: FailurePolicy;
}

/** A signing key as reads show it: never its value. */
export interface SigningKeyInfo {
  id: string;
  createdAt: Date;
}

/** A target as every read and write answers it. */
export interface ZitadelTarget extends ZitadelTargetFields {
  id: string;
  signingKeys: SigningKeyInfo[];
  /** PEM (PKIX) of the generated JWE key pair; "" unless the payload type is JWE. */
  publicKeyPem: string;
  sequence: number;
  creationDate: Date;
  changeDate: Date;
}

/** A target with its secrets opened: only for trusting a call, never for an answer. */
export interface ZitadelTargetSecrets extends ZitadelTargetFields {
  id: string;
  /** The HMAC keys: their UTF-8 bytes key HMAC-SHA256, as ZITADEL uses them. */
  signingKeys: { id: string; key: string }[];
  /** PKCS#8 PEM of the JWE private key; "" unless the payload type is JWE. */
  jwePrivateKeyPem: string;
}

/**
 * ZITADEL's signing keys are random visible ASCII. A key with whitespace or
 * control characters is a copy-and-paste accident that would never match.
 */
export function isPlausibleSigningKey(key: string): boolean {
  return /^[\x21-\x7e]{1,1000}$/.test(key);
}

/** More keys than a rotation needs is a mistake, and each one costs an HMAC per call. */
export const maxSigningKeys = 10;

/**
 * The JWE key pair actiond generates: an EC P-256 key, which ZITADEL uses with
 * ECDH-ES+A256KW and encrypts the content with A256GCM (docs/zitadel-v2-target.md, PAYLOAD_TYPE_JWE).
 */
export const jweKeyAlgorithm = "ECDH-ES+A256KW";
export const jweContentEncryption = "A256GCM";
export const jweCurve = "P-256";

/** The path of a target's endpoint on actiond's port. */
export function zitadelTargetEndpointPath(id: string): string {
  return `/zitadel/v2/targets/${encodeURIComponent(id)}`;
}

/** Names are unique in the instance, case-insensitively, as action names are in an org. */
export function zitadelTargetNameKey(name: string): string {
  return name.toLowerCase();
}

/**
 * What a sealed secret is bound to (store/secret-box.ts): a sealed key moved to
 * another target or key id no longer opens.
 */
export const secretBinding = {
  signingKey: (targetId: string, keyId: string) => `zitadel_target/${targetId}/signing_key/${keyId}`,
  jwePrivateKey: (targetId: string) => `zitadel_target/${targetId}/jwe_private_key`,
};
