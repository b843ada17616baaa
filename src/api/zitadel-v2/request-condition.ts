import type { JsonObject } from "../../runtime/index.js";
import { preCreationUserFrom } from "./add-human-user.js";
import { asJson, defined } from "./defined.js";
import { FieldError, type Mapped, mapped } from "./mapped.js";
import { isObject, PayloadReader } from "./payload-reader.js";

export const addHumanUserMethod = "/zitadel.user.v2.UserService/AddHumanUser";

/** A request condition actiond answers unchanged, with the reason for the log line. */
export interface PassThrough {
  kind: "pass-through";
  fullMethod: string;
  /** The body to answer: the message ZITADEL sent, as it was. */
  answer: JsonObject;
  reason: string;
}

/** AddHumanUser's request, to run through v1 Pre Creation. */
export interface PreCreationRun {
  kind: "pre-creation";
  /** "1" External Authentication when the request links an IdP, else "3" Internal Authentication. */
  flowType: "1" | "3";
  triggerType: "2";
  context: JsonObject;
  /**
   * `request.organization.orgId`, else the body's `orgID` (the caller's org, where ZITADEL creates the user
   * when the request names no organization); undefined when the request names its org by domain only.
   */
  orgId?: string;
  /** `request.organization.orgDomain` when the request names its org only so: the endpoint must resolve it. */
  orgDomain?: string;
  /** The request as received, for v1MutationsToAddHumanUserRequest. */
  request: JsonObject;
}

export type V2RequestRun = PassThrough | PreCreationRun;

/**
 * Converts the body of a request condition (docs/zitadel-v2-target.md,
 * AddHumanUser): AddHumanUser runs v1 Pre Creation; any other method, and any
 * response condition (its body carries `response`), is answered unchanged.
 */
export function v2RequestToV1(payload: unknown): Mapped<V2RequestRun> {
  return mapped(() => {
    if (!isObject(payload)) throw new FieldError("body", "must be a JSON object");
    const body = new PayloadReader(payload, "");
    const fullMethod = body.string("fullmethod") ?? "";
    const response = body.object("response");
    if (response) return passThrough(fullMethod, response.record, "a response condition: no v1 trigger is served for it");
    const request = body.object("request");
    if (fullMethod !== addHumanUserMethod) {
      return passThrough(fullMethod, request?.record ?? {}, `no v1 trigger is served for ${fullMethod || "a call without fullMethod"}`);
    }
    if (!request) throw new FieldError("request", "is required for AddHumanUser");
    const { orgId, orgDomain } = routing(body, request);
    const linksIdp = (request.objects("idplinks") ?? []).length > 0;
    const run: PreCreationRun = {
      kind: "pre-creation",
      flowType: linksIdp ? "1" : "3",
      triggerType: "2",
      context: asJson({ user: preCreationUserFrom(request, orgId) }),
      orgId,
      orgDomain,
      request: request.record,
    };
    return defined(run);
  });
}

/**
 * Whether a parsed body is a request or response condition's, which names the
 * called method in `fullMethod`, rather than a function condition's.
 */
export function isRequestConditionBody(payload: unknown): boolean {
  return isObject(payload) && new PayloadReader(payload, "").keyOf("fullmethod") !== undefined;
}

/** Where ZITADEL creates the user: the request's organization, else the caller's org (the body's `orgID`). */
function routing(body: PayloadReader, request: PayloadReader): { orgId?: string; orgDomain?: string } {
  const organization = request.object("organization");
  const orgId = organization?.string("orgid");
  if (orgId) return { orgId };
  const orgDomain = organization?.string("orgdomain");
  if (orgDomain) return { orgDomain };
  return { orgId: body.string("orgid") || undefined };
}

function passThrough(fullMethod: string, answer: JsonObject, reason: string): PassThrough {
  return { kind: "pass-through", fullMethod, answer, reason };
}
