import type { DescEnum, DescMessage, JsonObject } from "@bufbuild/protobuf";
import type { RefTo } from "./field-schema.js";
import { refTo, type JsonSchema } from "./json-schema.js";
import { messageSchema } from "./message-schema.js";
import { enumSchema } from "./well-known-schemas.js";

export interface ComponentSchemas {
  /** A `$ref` to the type's schema, which is written when the document is built. */
  ref: RefTo;
  /** The schemas of every type referenced, and of every type those reference, by full name. */
  build(): JsonObject;
}

/**
 * Collects the message and enum schemas the operations reference. A schema
 * is written once per type and only referenced after, so recursive messages
 * (google.protobuf.Value holds a Struct holds Values) are no problem.
 */
export function createComponentSchemas(): ComponentSchemas {
  const pending: (DescMessage | DescEnum)[] = [];
  const seen = new Set<string>();
  const ref: RefTo = (desc) => {
    if (!seen.has(desc.typeName)) {
      seen.add(desc.typeName);
      pending.push(desc);
    }
    return refTo(desc.typeName);
  };
  return {
    ref,
    build() {
      const schemas = new Map<string, JsonSchema>();
      for (let desc = pending.shift(); desc; desc = pending.shift()) {
        schemas.set(desc.typeName, desc.kind === "message" ? messageSchema(desc, ref) : enumSchema(desc));
      }
      return Object.fromEntries([...schemas].sort(([a], [b]) => (a < b ? -1 : 1)));
    },
  };
}
