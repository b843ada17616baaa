/**
 * The shape of `ctx` and `api` depends only on this kind; flows 1 and 3 share
 * their creation triggers (docs/wire-contract.md, Triggers).
 */
export type TriggerKind =
  | "external-post-authentication"
  | "internal-post-authentication"
  | "pre-creation"
  | "post-creation"
  | "complement-token"
  | "complement-saml";

export type ModuleName = "zitadel/http" | "zitadel/log" | "zitadel/uuid" | "actiond/secrets";

export interface TriggerSpec {
  flowType: string;
  triggerType: string;
  kind: TriggerKind;
  /** For messages, e.g. "Complement Token / Pre access token creation". */
  title: string;
  modules: readonly ModuleName[];
}

export const allModules: readonly ModuleName[] = ["zitadel/http", "zitadel/log", "zitadel/uuid", "actiond/secrets"];
// ZITADEL registers no uuid module for the SAML flow; actiond's own secrets are there in every flow.
const samlModules: readonly ModuleName[] = ["zitadel/http", "zitadel/log", "actiond/secrets"];

const triggers: readonly TriggerSpec[] = [
  spec("1", "1", "external-post-authentication", "External Authentication / Post Authentication"),
  spec("1", "2", "pre-creation", "External Authentication / Pre Creation"),
  spec("1", "3", "post-creation", "External Authentication / Post Creation"),
  spec("2", "4", "complement-token", "Complement Token / Pre Userinfo creation"),
  spec("2", "5", "complement-token", "Complement Token / Pre access token creation"),
  spec("3", "1", "internal-post-authentication", "Internal Authentication / Post Authentication"),
  spec("3", "2", "pre-creation", "Internal Authentication / Pre Creation"),
  spec("3", "3", "post-creation", "Internal Authentication / Post Creation"),
  { ...spec("4", "6", "complement-saml", "Complement SAMLResponse / Pre SAMLResponse creation"), modules: samlModules },
];

export function findTrigger(flowType: string, triggerType: string): TriggerSpec | undefined {
  return triggers.find((t) => t.flowType === flowType && t.triggerType === triggerType);
}

export function allTriggers(): readonly TriggerSpec[] {
  return triggers;
}

function spec(flowType: string, triggerType: string, kind: TriggerKind, title: string): TriggerSpec {
  return { flowType, triggerType, kind, title, modules: allModules };
}
