import { Code } from "@connectrpc/connect";
import { codeToHttpStatus } from "@connectrpc/connect/protocol-connect";
import { ErrorDetailSchema } from "../../gen/zitadel/v1/message_pb.js";
import type { Logger } from "../logger.js";
import { toConnectError } from "./error-mapping.js";
import type { NodeResponse } from "./node-http.js";
import { writeJson } from "./rest/write-json.js";

/**
 * A call to a ZITADEL target's endpoint that ends without an answer from its
 * flow, as ZITADEL receives it: `{"error": <reason>, "message": <text>}` with
 * an HTTP status (docs/zitadel-v2-target.md, The endpoint).
 */
export interface TargetCallRefusal {
  status: number;
  error: string;
  message: string;
  headers?: Record<string, string>;
}

/**
 * Any error a call ends with, normalised where every other error is
 * (transport/error-mapping.ts): a DomainError's id becomes the reason and its
 * code gives the status, as REST maps codes; an error from elsewhere is
 * `internal`, and only the log sees its cause.
 */
export function targetCallRefusalOf(err: unknown, log: Logger): TargetCallRefusal {
  const wire = toConnectError(err, log);
  const [detail] = wire.findDetails(ErrorDetailSchema);
  return {
    status: codeToHttpStatus(wire.code),
    error: detail?.id ?? kebabCase(Code[wire.code] ?? "Unknown"),
    message: detail?.message ?? wire.rawMessage,
  };
}

/** Refusals of the transport's own, which no gRPC code has a status for. */
export const transportRefusals = {
  methodNotAllowed: (): TargetCallRefusal => ({
    status: 405,
    error: "method-not-allowed",
    message: "a ZITADEL target's endpoint takes POST only",
    headers: { Allow: "POST" },
  }),
  tooLarge: (maxBytes: number): TargetCallRefusal => ({ status: 413, error: "too-large", message: `the body is larger than ${maxBytes} bytes` }),
};

export function writeTargetCallRefusal(res: NodeResponse, refusal: TargetCallRefusal): void {
  writeJson(res, refusal.status, { error: refusal.error, message: refusal.message }, refusal.headers);
}

function kebabCase(name: string): string {
  return name.replace(/([a-z])([A-Z])/g, "$1-$2").toLowerCase();
}
