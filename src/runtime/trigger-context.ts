import type { JsonObject, JsonValue } from "./types.js";

/**
 * The data an identity system hands over at a trigger, mirroring what
 * ZITADEL's `ctx.v1` exposes there. Every field is optional; which ones a
 * trigger reads is listed by `contextFieldsFor` and in CONTEXT.md. Missing
 * strings read as "" and missing flags as false, like Go zero values.
 */
export interface TriggerContext {
  accessToken?: string;
  idToken?: string;
  refreshToken?: string;
  /** The IdP's id_token claims behind `ctx.getClaim(key)` and `ctx.claimsJSON()`. */
  idTokenClaims?: JsonObject;
  externalUser?: ExternalUserContext;
  providerInfo?: JsonObject;
  authRequest?: JsonObject;
  httpRequest?: JsonObject;
  /** "none" when absent. */
  authError?: string;
  authMethod?: string;
  /** What `ctx.v1.getUser()` returns, or `ctx.v1.user` before creation. */
  user?: UserContext;
  userMetadata?: MetadataContext[];
  orgMetadata?: MetadataContext[];
  userGrants?: UserGrantContext[];
  /** The token's current claims (`ctx.v1.claims`). */
  claims?: JsonObject;
  clientId?: string;
}

export interface HumanContext {
  firstName?: string;
  lastName?: string;
  nickName?: string;
  displayName?: string;
  avatarKey?: string;
  preferredLanguage?: string;
  gender?: number;
  email?: string;
  isEmailVerified?: boolean;
  phone?: string;
  isPhoneVerified?: boolean;
}

export interface MachineContext {
  name?: string;
  description?: string;
}

export interface UserContext {
  id?: string;
  creationDate?: string;
  changeDate?: string;
  resourceOwner?: string;
  sequence?: number;
  state?: number;
  username?: string;
  loginNames?: string[];
  preferredLoginName?: string;
  human?: HumanContext;
  machine?: MachineContext;
}

export interface ExternalUserContext {
  externalId?: string;
  externalIdpId?: string;
  preferredUsername?: string;
  human?: HumanContext;
}

export interface MetadataContext {
  key: string;
  /** A string is the stored text (read as JSON when it parses); any other JSON value is taken as decoded. */
  value: JsonValue;
  creationDate?: string;
  changeDate?: string;
  resourceOwner?: string;
  sequence?: number;
}

export interface UserGrantContext {
  id?: string;
  projectGrantId?: string;
  state?: number;
  userGrantResourceOwner?: string;
  userGrantResourceOwnerName?: string;
  creationDate?: string;
  changeDate?: string;
  sequence?: number;
  userId?: string;
  userResourceOwner?: string;
  roles?: string[];
  projectId?: string;
  projectName?: string;
  /** Behind this grant's `getOrgMetadata()`. */
  orgMetadata?: MetadataContext[];
}
