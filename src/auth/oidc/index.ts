/** OIDC access tokens: the public surface the authorizer and the composition root use. */
export { type OidcIdentity, rolesInOrg, zitadelOrgClaim, zitadelRolesClaim } from "./oidc-identity.js";
export {
  type OidcVerification,
  type OidcVerifier,
  type OidcVerifierOptions,
  allowedAlgorithms,
  createOidcVerifier,
  looksLikeJwt,
} from "./oidc-verifier.js";
export type { OidcRefusal } from "./refusal.js";
/** An issuer's JWKS through its discovery document, for other JWS than access tokens (src/auth/zitadel-call/). */
export { type IssuerKeyResolver, type IssuerKeysOptions, type IssuerKeysResult, createIssuerKeys } from "./issuer-keys.js";
export { refusalFrom } from "./refusal.js";
