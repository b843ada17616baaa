import type { JsonObject } from "../../src/runtime/index.js";

/**
 * Bodies shaped like those ZITADEL v2 POSTs to a target (docs/zitadel-v2-target.md):
 * Go's encoding/json of its structs, so snake_case keys, `[]byte` as base64,
 * dates as RFC 3339 and unset times as "0001-01-01T00:00:00Z".
 */
export const ids = {
  user: "312909075211944344",
  org: "312909075211878808",
  project: "312909102934491032",
  projectGrant: "312909211944342171",
  grant: "312909399210032792",
  clientId: "312909136211787928@portal",
};

export const base64 = (text: string) => Buffer.from(text, "utf8").toString("base64");

export function snakeUser(): JsonObject {
  return {
    id: ids.user,
    creation_date: "2025-03-26T13:42:51.108716Z",
    change_date: "2025-03-26T13:44:02.201923Z",
    resource_owner: ids.org,
    sequence: 4,
    state: 1,
    username: "minnie",
    preferred_login_name: "minnie@acme.localhost",
    human: {
      first_name: "Minnie",
      last_name: "Mouse",
      nick_name: "Min",
      display_name: "Minnie Mouse",
      avatar_key: "",
      preferred_language: "en",
      gender: 1,
      email: "minnie@mouse.com",
      is_email_verified: true,
      phone: "+41791234567",
      password_changed: "0001-01-01T00:00:00Z",
      mfa_init_skipped: "0001-01-01T00:00:00Z",
    },
  };
}

/** A grant as userinfo_by_id.sql builds it (snake_case). */
/** `snakeUser()` as v1's camelCase user: what the mapping must make of it. */
export function v1User(): JsonObject {
  return {
    id: ids.user,
    creationDate: "2025-03-26T13:42:51.108716Z",
    changeDate: "2025-03-26T13:44:02.201923Z",
    resourceOwner: ids.org,
    sequence: 4,
    state: 1,
    username: "minnie",
    preferredLoginName: "minnie@acme.localhost",
    human: {
      firstName: "Minnie",
      lastName: "Mouse",
      nickName: "Min",
      displayName: "Minnie Mouse",
      avatarKey: "",
      preferredLanguage: "en",
      gender: 1,
      email: "minnie@mouse.com",
      isEmailVerified: true,
      phone: "+41791234567",
    },
  };
}

export function snakeGrant(): JsonObject {
  return {
    id: ids.grant,
    grant_id: ids.projectGrant,
    state: 1,
    creation_date: "2025-03-26T13:45:00Z",
    change_date: "2025-03-26T13:46:00Z",
    sequence: 2,
    user_id: ids.user,
    roles: ["admin", "viewer"],
    resource_owner: ids.org,
    project_id: ids.project,
    org_name: "ACME",
    org_primary_domain: "acme.localhost",
    project_name: "Portal",
    user_resource_owner: ids.org,
  };
}

/** The same grant with the camelCase names of ZITADEL's usage guide (v1's JS names). */
export function camelGrant(): JsonObject {
  return {
    id: ids.grant,
    projectGrantId: ids.projectGrant,
    state: 1,
    creationDate: "2025-03-26T13:45:00Z",
    changeDate: "2025-03-26T13:46:00Z",
    sequence: 2,
    userId: ids.user,
    roles: ["admin", "viewer"],
    userGrantResourceOwner: ids.org,
    userGrantResourceOwnerName: "ACME",
    projectId: ids.project,
    projectName: "Portal",
    userResourceOwner: ids.org,
  };
}

/** preuserinfo / preaccesstoken, as OIDC sends them. */
export function oidcPayload(fn: "function/preuserinfo" | "function/preaccesstoken" = "function/preuserinfo"): JsonObject {
  return {
    function: fn,
    userinfo: {
      sub: ids.user,
      name: "Minnie Mouse",
      given_name: "Minnie",
      family_name: "Mouse",
      email: "minnie@mouse.com",
      email_verified: true,
      department: "R&D",
      "urn:zitadel:iam:org:project:roles": { admin: { [ids.org]: "acme.localhost" } },
    },
    user: snakeUser(),
    user_metadata: [
      {
        creation_date: "2025-03-26T13:43:00Z",
        change_date: "2025-03-26T13:43:00Z",
        resource_owner: ids.org,
        sequence: 3,
        key: "tier",
        value: base64('{"level":2}'),
      },
      { creation_date: "2025-03-26T13:43:00Z", change_date: "2025-03-26T13:43:00Z", resource_owner: ids.org, sequence: 3, key: "note", value: base64("plain text") },
    ],
    org: { id: ids.org, name: "ACME", primary_domain: "acme.localhost" },
    user_grants: [snakeGrant()],
    application: { client_id: ids.clientId },
  };
}

/** presamlresponse: no userinfo, metadata, org or application. */
export function samlPayload(): JsonObject {
  const user = snakeUser();
  return {
    function: "function/presamlresponse",
    user: { ...user, type: 1, login_names: ["minnie@acme.localhost", "minnie@mouse.com"] },
    user_grants: [snakeGrant()],
  };
}

/** zitadel.user.v2.AddHumanUserRequest in protojson (lowerCamelCase, enums by name, bytes as base64). */
export function addHumanUserRequest(): JsonObject {
  return {
    username: "minnie",
    organization: { orgId: ids.org },
    profile: { givenName: "Minnie", familyName: "Mouse", preferredLanguage: "en", gender: "GENDER_FEMALE" },
    email: { email: "minnie@mouse.com", sendCode: { urlTemplate: "https://login.acme/verify?code={{.Code}}" } },
    phone: { phone: "+41791234567", returnCode: {} },
    metadata: [{ key: "source", value: base64('"signup"') }],
    password: { password: "Secr3tP4ssw0rd!", changeRequired: false },
  };
}

/** The body of a request condition on AddHumanUser. */
export function addHumanUserBody(request: JsonObject = addHumanUserRequest()): JsonObject {
  return {
    fullMethod: "/zitadel.user.v2.UserService/AddHumanUser",
    instanceID: "312909075211616664",
    orgID: "312909075211870001",
    projectID: "312909075212468632",
    userID: "312909075212796312",
    request,
    headers: { "Content-Type": ["application/grpc"], Host: ["acme.localhost:8080"], "X-Forwarded-For": ["127.0.0.1"] },
  };
}
