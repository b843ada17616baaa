import type { JsonObject } from "@bufbuild/protobuf";

/**
 * A context per trigger for the test panel to start from, with the fields
 * the README's "Context per trigger" table lists for it (ZITADEL's shapes).
 */
const user = {
  id: "28745238946523",
  username: "ada",
  loginNames: ["ada@example.com"],
  preferredLoginName: "ada@example.com",
  human: { firstName: "Ada", lastName: "Lovelace", displayName: "Ada Lovelace", email: "ada@example.com", isEmailVerified: true },
};
const authRequest = { id: "267", applicationId: "app-1", clientId: "console@example", prompt: [] };
const httpRequest = { url: "https://login.example.com/ui/login", method: "POST", headers: { "user-agent": ["Mozilla/5.0"] } };
const orgMetadata = [{ key: "plan", value: "gold" }];
const userMetadata = [{ key: "team", value: "blue" }];
const userGrants = [{ id: "g-1", projectId: "p-1", projectName: "app", roles: ["admin"], userId: user.id }];

const externalAuthentication: JsonObject = {
  accessToken: "at-example",
  idToken: "it-example",
  idTokenClaims: { sub: "ext-1", email: "ada@example.com" },
  externalUser: { externalId: "ext-1", externalIdpId: "idp-1", preferredUsername: "ada", human: { firstName: "Ada", lastName: "Lovelace", email: "ada@example.com" } },
  providerInfo: { name: "example IdP" },
  authRequest,
  httpRequest,
  authError: "none",
  orgMetadata,
};
const preCreation: JsonObject = { user, authRequest, httpRequest, orgMetadata };
const complementToken: JsonObject = { claims: { sub: user.id }, user, userMetadata, userGrants, orgMetadata, clientId: "console@example" };

const samples: Record<string, JsonObject> = {
  "1/1": externalAuthentication,
  "1/2": preCreation,
  "1/3": preCreation,
  "3/1": { authMethod: "password", authError: "none", authRequest, httpRequest },
  "3/2": preCreation,
  "3/3": preCreation,
  "2/4": complementToken,
  "2/5": complementToken,
  "4/6": { user, userMetadata, userGrants, orgMetadata },
};

export function sampleContext(flowType: string, triggerType: string): string {
  return JSON.stringify(samples[`${flowType}/${triggerType}`] ?? {}, null, 2);
}
