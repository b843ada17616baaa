import type { ZitadelCallReason, ZitadelCallRefusal } from "../../auth/zitadel-call/index.js";
import { DomainError, type ErrorCode } from "../../domain/errors.js";

/**
 * Why the endpoint refuses a call before anything runs (docs/zitadel-v2-target.md,
 * The endpoint). Each id is the reason the answer names in `error`, spelled as
 * the endpoint's contract spells it; the code gives the HTTP status, as for
 * every DomainError (transport/zitadel-target-route.ts maps them).
 */
const codes: Record<ZitadelCallReason, ErrorCode> = {
  "missing-signature": "Unauthenticated",
  "malformed-signature": "Unauthenticated",
  "bad-signature": "Unauthenticated",
  stale: "Unauthenticated",
  future: "Unauthenticated",
  "malformed-body": "Unauthenticated",
  "algorithm-not-allowed": "Unauthenticated",
  "unknown-key": "Unauthenticated",
  undecryptable: "Unauthenticated",
  // Neither is the caller's fault: ZITADEL sees a 5xx, the operator the log line.
  "issuer-unavailable": "Unavailable",
  "not-configured": "Internal",
};

export const targetCallErrors = {
  unknownTarget: () => new DomainError("NotFound", "unknown-target", "no ZITADEL target has this id"),
  /** The verifier did not trust the call; its message never holds a key, a signature or the body. */
  untrusted: (refusal: ZitadelCallRefusal) => new DomainError(codes[refusal.reason], refusal.reason, refusal.message),
  /** A trusted call whose JSON is no v2 payload actiond understands, naming the field. */
  badPayload: (field: string, message: string) => new DomainError("InvalidArgument", "bad-payload", `${field}: ${message}`),
  /** The same, found in the v1 context the payload became: the text names the context's field (`context.claims…`). */
  unusableContext: (text: string) => new DomainError("InvalidArgument", "bad-payload", text),
};
