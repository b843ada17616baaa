import type { JsonObject } from "@bufbuild/protobuf";
import { AnySchema } from "@bufbuild/protobuf/wkt";
import type { Binding } from "../http-rule.js";
import { createComponentSchemas } from "./component-schemas.js";
import { buildPaths } from "./operations.js";
import { errorResponse, errorSchema, orgIdParameter, securitySchemes } from "./shared-components.js";

/**
 * The OpenAPI 3.1 document of the REST routes, from the bindings the gateway
 * routes with (http-rule.ts) and the descriptors they name, so it says what
 * is served and nothing else. Built the same for the same bindings, byte for
 * byte: components are sorted by name, paths keep the bindings' order.
 */
export function buildOpenApiDocument(bindings: readonly Binding[], version: string): JsonObject {
  const components = createComponentSchemas();
  const paths = buildPaths(bindings, components.ref);
  components.ref(AnySchema); // the error body's details
  const services = [...new Map(bindings.map((b) => [b.method.parent.name, b.method.parent.typeName])).entries()];
  return {
    openapi: "3.1.0",
    info: {
      title: "actiond",
      version,
      description:
        "The REST routes of actiond, transcoded from the google.api.http rules of its gRPC services, which the same port also serves " +
        "over gRPC, gRPC-Web and Connect. Schemas are the proto3 JSON mapping; buf.validate rules are schema constraints where JSON Schema " +
        "has them and are named in the description where it has not.",
    },
    tags: services.map(([name, typeName]) => ({ name, description: typeName })),
    paths,
    components: {
      schemas: { ...components.build(), "google.rpc.Status": errorSchema },
      responses: { Error: errorResponse },
      parameters: { orgId: orgIdParameter },
      securitySchemes,
    },
  };
}
