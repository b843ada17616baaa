/**
 * The flow and trigger catalogue of ZITADEL Actions v1. Ids are decimal
 * strings since ZITADEL #4337; the legacy enum names are accepted on input.
 */
export interface CatalogueEntry {
  id: string;
  /** The `<X>` of the localization key. */
  key: string;
  /** English text. */
  text: string;
}

export const unspecifiedFlowType: CatalogueEntry = { id: "0", key: "Unspecified", text: "Unspecified" };
export const unspecifiedTriggerType: CatalogueEntry = unspecifiedFlowType;

export const triggerTypes: readonly CatalogueEntry[] = [
  { id: "1", key: "PostAuthentication", text: "Post Authentication" },
  { id: "2", key: "PreCreation", text: "Pre Creation" },
  { id: "3", key: "PostCreation", text: "Post Creation" },
  { id: "4", key: "PreUserinfoCreation", text: "Pre Userinfo creation" },
  { id: "5", key: "PreAccessTokenCreation", text: "Pre access token creation" },
  { id: "6", key: "PreSAMLResponseCreation", text: "Pre SAMLResponse creation" },
];

export interface FlowTypeEntry extends CatalogueEntry {
  triggerTypeIds: readonly string[];
}

export const flowTypes: readonly FlowTypeEntry[] = [
  { id: "1", key: "ExternalAuthentication", text: "External Authentication", triggerTypeIds: ["1", "2", "3"] },
  { id: "2", key: "CustomiseToken", text: "Complement Token", triggerTypeIds: ["4", "5"] },
  { id: "3", key: "InternalAuthentication", text: "Internal Authentication", triggerTypeIds: ["1", "2", "3"] },
  { id: "4", key: "CustomizeSAMLResponse", text: "Complement SAMLResponse", triggerTypeIds: ["6"] },
];

const legacyFlowNames: Record<string, string> = { FLOW_TYPE_EXTERNAL_AUTHENTICATION: "1" };
const legacyTriggerNames: Record<string, string> = {
  TRIGGER_TYPE_POST_AUTHENTICATION: "1",
  TRIGGER_TYPE_PRE_CREATION: "2",
  TRIGGER_TYPE_POST_CREATION: "3",
};

/** The flow type for an input string, or undefined when it names none (ZITADEL's "0"). */
export function findFlowType(input: string): FlowTypeEntry | undefined {
  const id = legacyFlowNames[input] ?? input;
  return flowTypes.find((f) => f.id === id);
}

/** The trigger type for an input string, or undefined when it names none. */
export function findTriggerType(input: string): CatalogueEntry | undefined {
  const id = legacyTriggerNames[input] ?? input;
  return triggerTypes.find((t) => t.id === id);
}

export function flowHasTrigger(flow: FlowTypeEntry, triggerTypeId: string): boolean {
  return flow.triggerTypeIds.includes(triggerTypeId);
}
