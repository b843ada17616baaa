import type { JsonValue, Mutations } from "../../runtime/index.js";
import { base64FromStoredText } from "./metadata-bytes.js";
import type { V2FunctionName } from "./v2-functions.js";

/** The body a v2 function condition accepts back; only keys with content are sent. */
export interface V2FunctionAnswer {
  append_claims?: { key: string; value: JsonValue }[];
  append_log_claims?: string[];
  set_user_metadata?: { key: string; value: string }[];
  append_attribute?: { name: string; name_format: string; value: string[] }[];
}

/**
 * The v2 answer carrying what the v1 actions changed (docs/zitadel-v2-target.md,
 * Answer mapping). An invocation that changed nothing answers `{}`.
 *
 * - Claims: `mutations.claims` already follows v1's `setClaim` rules (no
 *   `urn:zitadel:iam` key, no key the token had, first set wins), so the
 *   answer carries exactly what v1 would have set.
 * - Log lines: v1 put each action's lines into its own claim
 *   `urn:zitadel:iam:action:<action>:log`; v2 takes plain lines and files them
 *   itself under `urn:zitadel:iam:action:function/<fn>:log`, so the lines go
 *   out in order and no log claim is added here.
 * - Metadata: each value as the base64 of the JSON text v1 would have stored.
 * - SAML attributes: v1 keeps the first set of a name, so names are unique and
 *   v2's last-wins `append_attribute` changes nothing.
 */
export function v1MutationsToV2Response(fn: V2FunctionName, mutations: Mutations): V2FunctionAnswer {
  const answer: V2FunctionAnswer = {};
  if (fn !== "presamlresponse") {
    const claims = Object.keys(mutations.claims).map((key) => ({ key, value: mutations.claims[key] ?? null }));
    if (claims.length > 0) answer.append_claims = claims;
    const lines = mutations.claimLogs.flatMap((log) => log.entries);
    if (lines.length > 0) answer.append_log_claims = lines;
  }
  if (mutations.metadata.length > 0) {
    answer.set_user_metadata = mutations.metadata.map((m) => ({ key: m.key, value: base64FromStoredText(m.value) }));
  }
  if (fn === "presamlresponse" && mutations.customAttributes.length > 0) {
    answer.append_attribute = mutations.customAttributes.map((a) => ({ name: a.name, name_format: a.nameFormat, value: [...a.values] }));
  }
  return answer;
}
