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
