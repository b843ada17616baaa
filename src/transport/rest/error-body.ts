import { create, toJson, type JsonObject, type JsonValue, type MutableRegistry } from "@bufbuild/protobuf";
import { anyPack, AnySchema } from "@bufbuild/protobuf/wkt";
import type { ConnectError } from "@connectrpc/connect";
import type { Logger } from "../../logger.js";

// Connect's table is also grpc-gateway v2's `HTTPStatusFromCode`, which ZITADEL serves (FailedPrecondition is 400 there, not 412).
export { codeToHttpStatus } from "@connectrpc/connect/protocol-connect";

/**
 * The google.rpc.Status that grpc-gateway writes as protojson: numeric code,
 * the message without connect's "[code]" prefix, and the details as Any with
 * their type inline. protojson omits an empty `details`, so this does too.
 */
export function errorToJson(err: ConnectError, registry: MutableRegistry, log: Logger): JsonObject {
  const details: JsonValue[] = [];
  for (const detail of err.details) {
    try {
      if ("desc" in detail) {
        // Details made in this process may be of any type; teach the registry so Any can expand it.
        if (!registry.getMessage(detail.desc.typeName)) registry.add(detail.desc);
        details.push(toJson(AnySchema, anyPack(detail.desc, create(detail.desc, detail.value)), { registry }));
      } else {
        const any = create(AnySchema, { typeUrl: `type.googleapis.com/${detail.type}`, value: detail.value });
        details.push(toJson(AnySchema, any, { registry }));
      }
    } catch (cause) {
      // An undecodable detail must not turn the client's error into a 500: drop only the detail.
      log.warn("rest: error detail dropped", { type: "desc" in detail ? detail.desc.typeName : detail.type, err: cause });
    }
  }
  const body: JsonObject = { code: err.code, message: err.rawMessage };
  if (details.length > 0) body["details"] = details.map(typeFirst);
  return body;
}

/** protojson writes an Any's `@type` first; protobuf-es appends it. Same JSON, but byte-identical output is friendlier to diffs. */
function typeFirst(detail: JsonValue): JsonValue {
  if (typeof detail !== "object" || detail === null || Array.isArray(detail) || !("@type" in detail)) return detail;
  const { "@type": type, ...rest } = detail;
  return { "@type": type!, ...rest };
}
