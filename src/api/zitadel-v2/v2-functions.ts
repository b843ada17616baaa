/** The v2 function conditions actiond serves (docs/zitadel-v2-target.md, Functions). */
export type V2FunctionName = "preuserinfo" | "preaccesstoken" | "presamlresponse";

export interface V1Trigger {
  flowType: string;
  triggerType: string;
}

/** Each v2 function runs the v1 trigger it replaces. */
export const v2FunctionTriggers: Readonly<Record<V2FunctionName, V1Trigger>> = {
  preuserinfo: { flowType: "2", triggerType: "4" },
  preaccesstoken: { flowType: "2", triggerType: "5" },
  presamlresponse: { flowType: "4", triggerType: "6" },
};

// ZITADEL sends the execution id "function/<name>"; an older id format joined with "." (UNCONFIRMED that any
// release sent it), and a bare name is what an admin types: all three are accepted.
const prefixes = ["function/", "function.", ""];

/** The function a payload's `function` value names, or undefined when it names none of ours. */
export function findV2Function(value: string): V2FunctionName | undefined {
  for (const prefix of prefixes) {
    if (!value.startsWith(prefix)) continue;
    const name = value.slice(prefix.length);
    if (Object.hasOwn(v2FunctionTriggers, name)) return name as V2FunctionName;
  }
  return undefined;
}
