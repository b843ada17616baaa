/**
 * Why a call was not trusted. Every reason means "run nothing"; the endpoint
 * picks the HTTP status and writes one log line. The message is for that log:
 * it never holds a key, a signature value or the body.
 */
export type ZitadelCallReason =
  /** The target expects a ZITADEL-Signature header and there is none. */
  | "missing-signature"
  /** The ZITADEL-Signature header cannot be read (see docs/zitadel-v2-target.md, "Trusting a call"). */
  | "malformed-signature"
  /** No v1 signature matches any of the target's keys, or the JWS signature does not verify. */
  | "bad-signature"
  /** The header's timestamp is older than the tolerance. */
  | "stale"
  /** The header's timestamp is further ahead of actiond's clock than the allowed skew. */
  | "future"
  /** The body is not the compact JWS/JWE the payload type promises, or its payload is not a call. */
  | "malformed-body"
  /** The JWS or JWE names an algorithm ZITADEL does not use for calls. */
  | "algorithm-not-allowed"
  /** The JWS names a key the issuer's JWKS does not hold, or the JWE one other than the target's. */
  | "unknown-key"
  /** The JWE cannot be decrypted with the target's private key. */
  | "undecryptable"
  /** The issuer's discovery document or JWKS could not be fetched: not the caller's fault. */
  | "issuer-unavailable"
  /** The target lacks what its payload type needs (keys, issuer, private key): not the caller's fault. */
  | "not-configured";

export interface ZitadelCallRefusal {
  ok: false;
  reason: ZitadelCallReason;
  message: string;
}

export function refuse(reason: ZitadelCallReason, message: string): ZitadelCallRefusal {
  return { ok: false, reason, message };
}
