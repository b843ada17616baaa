import {
  externalUserShape,
  jsonObject,
  metadataShape,
  text,
  userGrantsShape,
  userShape,
  type Shape,
} from "./context-shapes.js";
import type { TriggerContext } from "./trigger-context.js";
import { findTrigger, type TriggerKind } from "./triggers.js";

export interface ContextField {
  name: keyof TriggerContext;
  /** A short type label for documentation: string, object, user, externalUser, metadata[], userGrant[]. */
  type: string;
  /** Where the script sees the field. */
  exposedAs: string;
  shape: Shape;
}

const authRequest = field("authRequest", "object", "ctx.v1.authRequest", jsonObject);
const httpRequest = field("httpRequest", "object", "ctx.v1.httpRequest", jsonObject);
const authError = field("authError", "string", 'ctx.v1.authError ("none" when absent)', text);
const orgMetadata = field("orgMetadata", "metadata[]", "ctx.v1.org.getMetadata()", metadataShape);
const fetchedUser = field("user", "user", "ctx.v1.getUser()", userShape);
const userMetadata = field("userMetadata", "metadata[]", "ctx.v1.user.getMetadata()", metadataShape);
const userGrants = field("userGrants", "userGrant[]", "ctx.v1.user.grants", userGrantsShape);

const fieldsByKind: Record<TriggerKind, readonly ContextField[]> = {
  "external-post-authentication": [
    field("accessToken", "string", "ctx.accessToken", text),
    field("idToken", "string", "ctx.idToken", text),
    field("refreshToken", "string", "ctx.refreshToken", text),
    field("idTokenClaims", "object", "ctx.getClaim(key), ctx.claimsJSON()", jsonObject),
    field("externalUser", "externalUser", "ctx.v1.externalUser", externalUserShape),
    field("providerInfo", "object", "ctx.v1.providerInfo", jsonObject),
    authRequest,
    httpRequest,
    authError,
    orgMetadata,
  ],
  "internal-post-authentication": [
    field("authMethod", "string", "ctx.v1.authMethod", text),
    authError,
    authRequest,
    httpRequest,
  ],
  "pre-creation": [field("user", "user", "ctx.v1.user", userShape), authRequest, httpRequest, orgMetadata],
  "post-creation": [fetchedUser, authRequest, httpRequest, orgMetadata],
  "complement-token": [
    field("claims", "object", "ctx.v1.claims", jsonObject),
    fetchedUser,
    userMetadata,
    userGrants,
    orgMetadata,
    field("clientId", "string", "ctx.v1.application.getClientId()", text),
  ],
  "complement-saml": [fetchedUser, userMetadata, userGrants, orgMetadata],
};

/** The context fields a trigger reads, or undefined for an unknown flow/trigger pair. */
export function contextFieldsFor(flowType: string, triggerType: string): readonly ContextField[] | undefined {
  const trigger = findTrigger(flowType, triggerType);
  return trigger ? fieldsByKind[trigger.kind] : undefined;
}

function field(name: keyof TriggerContext, type: string, exposedAs: string, shape: Shape): ContextField {
  return { name, type, exposedAs, shape };
}
