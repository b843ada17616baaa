import type { JsonObject, TriggerContext } from "../../runtime/index.js";
import { asJson, defined } from "./defined.js";
import { FieldError, type Mapped, mapped } from "./mapped.js";
import { isObject, PayloadReader } from "./payload-reader.js";
import { metadataFrom, userFrom, userGrantFrom } from "./v1-context.js";
import { findV2Function, type V1Trigger, type V2FunctionName, v2FunctionTriggers } from "./v2-functions.js";

/** What a v2 function call runs: a v1 trigger, its context, and the org whose actions run. */
export interface V1FunctionRun extends V1Trigger {
  function: V2FunctionName;
  /** The v1 trigger context, as validateContext accepts it for the trigger. */
  context: JsonObject;
  /** `org.id`, else `user.resource_owner`; undefined when the payload names neither. */
  orgId?: string;
}

const knownFunctions = Object.keys(v2FunctionTriggers)
  .map((name) => `function/${name}`)
  .join(", ");

/**
 * Converts the body ZITADEL POSTs for a function condition into the v1 run
 * it stands for (docs/zitadel-v2-target.md, Functions and Context mapping):
 * `userinfo` → `claims`, `user` → `user`, `user_metadata` → `userMetadata`,
 * `user_grants` → `userGrants`, `application.client_id` → `clientId`. What v2
 * does not send (org metadata, login names in OIDC, user metadata in SAML)
 * stays absent, which a script reads as empty. `payload` is the parsed body.
 */
export function v2FunctionToV1(payload: unknown): Mapped<V1FunctionRun> {
  return mapped(() => {
    if (!isObject(payload)) throw new FieldError("body", "must be a JSON object");
    const body = new PayloadReader(payload, "");
    const name = functionOf(body);
    const trigger = v2FunctionTriggers[name];
    // Only the token functions carry claims and a client id in v1 (src/runtime/CONTEXT.md, flow 2).
    const token = trigger.flowType === "2";
    const user = body.object("user");
    const context: TriggerContext = defined({
      claims: token ? copy(body.object("userinfo")?.record) : undefined,
      user: user && userFrom(user),
      userMetadata: body.objects("usermetadata")?.map(metadataFrom),
      userGrants: body.objects("usergrants")?.map(userGrantFrom),
      clientId: token ? body.object("application")?.string("clientid") : undefined,
    });
    const orgId = body.object("org")?.string("id") || user?.string("resourceowner") || undefined;
    return defined({ function: name, ...trigger, context: asJson(context), orgId });
  });
}

function functionOf(body: PayloadReader): V2FunctionName {
  const value = body.string("function");
  if (value === undefined) throw new FieldError("function", "is required");
  const name = findV2Function(value);
  if (!name) throw new FieldError("function", `${JSON.stringify(value)} is no function actiond serves (known: ${knownFunctions})`);
  return name;
}

function copy(record: JsonObject | undefined): JsonObject | undefined {
  return record && { ...record };
}
