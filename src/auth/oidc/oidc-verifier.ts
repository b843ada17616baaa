import { decodeProtectedHeader, jwtVerify } from "jose";
import { type IssuerKeysOptions, createIssuerKeys } from "./issuer-keys.js";
import { type OidcIdentity, identityFromClaims, zitadelOrgClaim, zitadelRolesClaim } from "./oidc-identity.js";
import { type OidcRefusal, refusalFrom } from "./refusal.js";

/**
 * Only asymmetric signatures: the verification key comes from a public JWKS, so
 * accepting HMAC would let anyone sign with the public key as the secret, and
 * `none` would accept anything.
 */
export const allowedAlgorithms: readonly string[] = [
  "RS256",
  "RS384",
  "RS512",
  "PS256",
  "PS384",
  "PS512",
  "ES256",
  "ES384",
  "ES512",
  "EdDSA",
  "Ed25519",
];

/**
 * Node refuses request headers over 16 KiB by default; a longer "token" can only
 * come from elsewhere and is refused before any parsing.
 */
const maxTokenLength = 16 * 1024;

const jwsCompact = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * Whether a bearer token has the shape of a signed JWT (three non-empty
 * base64url parts). Service tokens (`actiond_<base64url>`) never contain a dot,
 * so the two kinds cannot be confused.
 */
export function looksLikeJwt(token: string): boolean {
  return token.length <= maxTokenLength && jwsCompact.test(token);
}

export interface OidcVerifierOptions extends IssuerKeysOptions {
  /** The issuer URL, exactly as the tokens' `iss` and the discovery document state it. */
  issuer: string;
  /** Required `aud` value; without it any audience of this issuer is accepted. */
  audience?: string;
  /** Claim holding the user's org id. Default ZITADEL's `urn:zitadel:iam:user:resourceowner:id`. */
  orgClaim?: string;
  /** Claim holding the roles. Default ZITADEL's `urn:zitadel:iam:org:project:roles`. */
  rolesClaim?: string;
  /** Clock skew allowed on `exp` and `nbf`, in seconds. Default 30. */
  clockToleranceSec?: number;
}

export type OidcVerification = { ok: true; identity: OidcIdentity } | ({ ok: false } & OidcRefusal);

export interface OidcVerifier {
  /** The identity of a valid token; undefined for any token that must be refused. Never throws. */
  verify(jwt: string): Promise<OidcIdentity | undefined>;
  /** As `verify`, with the reason of a refusal (for the log: it never holds the token). */
  check(jwt: string): Promise<OidcVerification>;
}

/** Throws only on bad options (at startup); verification itself never throws. */
export function createOidcVerifier(options: OidcVerifierOptions): OidcVerifier {
  const { issuer, audience } = options;
  const issuerUrl = new URL(issuer); // a typo in --oidc-issuer fails at start, not on the first call
  if (issuerUrl.protocol !== "https:" && issuerUrl.protocol !== "http:") {
    throw new Error(`OIDC issuer must be an http(s) URL, got "${issuer}"`);
  }
  const claimNames = { orgClaim: options.orgClaim ?? zitadelOrgClaim, rolesClaim: options.rolesClaim ?? zitadelRolesClaim };
  const clockTolerance = options.clockToleranceSec ?? 30;
  const issuerKeys = createIssuerKeys(options);

  async function check(jwt: string): Promise<OidcVerification> {
    if (typeof jwt !== "string" || !looksLikeJwt(jwt)) return { ok: false, reason: "malformed" };
    // Refuse what no key could verify before touching the network: garbage and
    // `alg: none` must not trigger discovery or JWKS fetches.
    let alg: unknown;
    try {
      alg = decodeProtectedHeader(jwt).alg;
    } catch {
      return { ok: false, reason: "malformed" };
    }
    if (typeof alg !== "string" || !allowedAlgorithms.includes(alg)) return { ok: false, reason: "algorithm-not-allowed" };

    const keys = await issuerKeys();
    if (!keys.ok) return { ok: false, reason: "issuer-unavailable", detail: keys.detail };
    try {
      const { payload } = await jwtVerify(jwt, keys.resolve, {
        issuer,
        ...(audience !== undefined && { audience }),
        algorithms: [...allowedAlgorithms],
        clockTolerance,
        // jose checks nbf whenever present; exp must be present, a token must not live forever.
        requiredClaims: ["exp", "sub"],
      });
      const identity = identityFromClaims(payload, claimNames);
      return identity.ok ? identity : { ok: false, reason: "claim-invalid", claim: identity.claim };
    } catch (error) {
      return { ok: false, ...refusalFrom(error) };
    }
  }

  return {
    check,
    async verify(jwt) {
      try {
        const result = await check(jwt);
        return result.ok ? result.identity : undefined;
      } catch {
        return undefined; // belt and braces: a refusal, never an exception in the auth path
      }
    },
  };
}
