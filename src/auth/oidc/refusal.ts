import { errors } from "jose";

/**
 * Why a token was refused. Every refusal is `Unauthenticated` to the caller;
 * the reason is for the server's log and for tests, so they can tell "expired"
 * from "issuer down". Nothing here ever holds the token or its claims' values.
 */
export type OidcRefusal =
  | { reason: "malformed" }
  | { reason: "algorithm-not-allowed" }
  /** Discovery or the JWKS could not be fetched: an operator problem, worth a warning. */
  | { reason: "issuer-unavailable"; detail: string }
  | { reason: "unknown-key" }
  | { reason: "bad-signature" }
  | { reason: "expired" }
  | { reason: "not-yet-valid" }
  /** A claim is missing or wrong: `iss`, `aud`, `exp`, `sub`, the org or the roles claim. */
  | { reason: "claim-invalid"; claim: string }
  | { reason: "unsupported" };

/** Thrown by the key resolver around a failed JWKS fetch, so it is not read as a bad token. */
export class KeysUnavailable extends Error {
  constructor(readonly detail: string) {
    super(detail);
  }
}

/** Maps what `jwtVerify` throws to a refusal; anything unexpected is "malformed", never a success. */
export function refusalFrom(error: unknown): OidcRefusal {
  if (error instanceof KeysUnavailable) return { reason: "issuer-unavailable", detail: error.detail };
  if (error instanceof errors.JWTExpired) return { reason: "expired" };
  if (error instanceof errors.JWTClaimValidationFailed) {
    return error.claim === "nbf" && error.reason === "check_failed"
      ? { reason: "not-yet-valid" }
      : { reason: "claim-invalid", claim: error.claim };
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return { reason: "bad-signature" };
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) {
    return { reason: "unknown-key" };
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return { reason: "algorithm-not-allowed" };
  if (error instanceof errors.JOSENotSupported) return { reason: "unsupported" };
  return { reason: "malformed" };
}
