import type { JsonObject, JsonValue } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { ExecutionService } from "../../../../gen/actiond/v1/execution_pb.js";
import { ActionVersionService } from "../../../../gen/actiond/v1/action_version_pb.js";
import { SecretService } from "../../../../gen/actiond/v1/secret_pb.js";
import { ZitadelTargetService } from "../../../../gen/actiond/v1/zitadel_target_pb.js";
import { ManagementService } from "../../../../gen/zitadel/management/v1/management_pb.js";
import { restTestService } from "../../../../test/support/rest-test-service.js";
import { compileHttpRules } from "../http-rule.js";
import { buildOpenApiDocument } from "./document.js";

const served = [
  ...ManagementService.methods.flatMap((m) => compileHttpRules(m, "/management/v1")),
  ...ExecutionService.methods.flatMap((m) => compileHttpRules(m, "")),
  ...ZitadelTargetService.methods.flatMap((m) => compileHttpRules(m, "")),
  ...SecretService.methods.flatMap((m) => compileHttpRules(m, "")),
  ...ActionVersionService.methods.flatMap((m) => compileHttpRules(m, "")),
];
const doc = buildOpenApiDocument(served, "1.2.3");
const paths = doc["paths"] as Record<string, Record<string, JsonObject>>;

const echo = buildOpenApiDocument(restTestService.methods.flatMap((m) => compileHttpRules(m, "")), "0");
const echoPaths = echo["paths"] as Record<string, Record<string, JsonObject>>;

describe("buildOpenApiDocument(): the served routes", () => {
  it("has one operation per binding, each guarded by the bearer scheme and taking the org header", () => {
    const operations = Object.values(paths).flatMap((item) => Object.values(item));
    expect(operations).toHaveLength(served.length);
    for (const op of operations) {
      expect(op["security"]).toEqual([{ bearerAuth: [] }]);
      expect(op["parameters"]).toContainEqual({ $ref: "#/components/parameters/orgId" });
    }
    expect(doc["info"]).toMatchObject({ title: "actiond", version: "1.2.3" });
    expect(doc["openapi"]).toBe("3.1.0");
  });

  it("resolves every $ref inside the document", () => {
    const refs = collectRefs(doc);
    expect(refs.size).toBeGreaterThan(30);
    for (const ref of refs) expect(resolve(doc, ref), ref).toBeDefined();
  });

  it("writes path variables, the body without the fields the path sets, and the answer", () => {
    const run = paths["/v1/flows/{flow_type}/triggers/{trigger_type}/_run"]!["post"]!;
    expect(run["operationId"]).toBe("ExecutionService_RunTrigger");
    expect(run["parameters"]).toContainEqual({ name: "flow_type", in: "path", required: true, schema: { type: "string", minLength: 1, maxLength: 200 } });
    expect(run["requestBody"]).toMatchObject({
      content: { "application/json": { schema: { type: "object", properties: { context: { $ref: "#/components/schemas/google.protobuf.Struct" } } } } },
    });
    expect(run["responses"]).toEqual({
      "200": { description: "OK", content: { "application/json": { schema: { $ref: "#/components/schemas/actiond.v1.RunTriggerResponse" } } } },
      default: { $ref: "#/components/responses/Error" },
    });
    expect(run["description"]).toContain("org.action.execute");
  });

  it("documents an additional binding under its own operation id, with the query the GET reads", () => {
    const list = paths["/v1/executions"]!["get"]!;
    expect(list["operationId"]).toBe("ExecutionService_ListExecutions2");
    const names = (list["parameters"] as JsonObject[]).map((p) => p["name"] ?? p["$ref"]);
    expect(names).toEqual(["offset", "limit", "actionId", "flowType", "triggerType", "outcome", "startedAfter", "startedBefore", "zitadelTargetId", "#/components/parameters/orgId"]);
    expect(paths["/v1/executions/_search"]!["post"]!["parameters"]).toEqual([{ $ref: "#/components/parameters/orgId" }]);
  });

  it("is the same document, byte for byte, every time", () => {
    expect(JSON.stringify(buildOpenApiDocument(served, "1.2.3"))).toBe(JSON.stringify(doc));
  });
});

describe("buildOpenApiDocument(): the rest of google.api.http", () => {
  it("reads every free field from the query, nested ones by their dotted JSON path", () => {
    const get = echoPaths["/echo/{id}"]!["get"]!;
    const query = (get["parameters"] as JsonObject[]).filter((p) => p["in"] === "query");
    expect(query.map((p) => p["name"])).toEqual(["namePrefix", "count", "active", "color", "tags", "inner.id", "inner.note", "timeout"]);
    expect(query.find((p) => p["name"] === "tags")!["schema"]).toEqual({ type: "array", items: { type: "string" } });
  });

  it("takes a body field as the body, and leaves that field and the path's out of the query", () => {
    const check = echoPaths["/echo/{inner.id}:check"]!["post"]!;
    expect(check["requestBody"]).toEqual({ content: { "application/json": { schema: { $ref: "#/components/schemas/rest_test.v1.Inner" } } } });
    const query = (check["parameters"] as JsonObject[]).filter((p) => p["in"] === "query").map((p) => p["name"]);
    expect(query).toEqual(["id", "namePrefix", "count", "active", "color", "tags", "timeout"]);
  });

  it("gives a multi-segment variable a pattern, and a custom method OpenAPI 3.2's field", () => {
    const files = echoPaths["/files/{name_prefix}"]!["get"]!;
    expect((files["parameters"] as JsonObject[])[0]).toEqual({ name: "name_prefix", in: "path", required: true, schema: { type: "string", pattern: "^docs/.+$" } });
    expect(echoPaths["/echo"]!["x-additionalOperations"]).toMatchObject({ SEARCH: { operationId: "RestTestService_Echo4" } });
  });

  it("answers with the response_body field alone", () => {
    const inner = echoPaths["/inner"]!["post"]!;
    expect(inner["responses"]).toMatchObject({ "200": { content: { "application/json": { schema: { $ref: "#/components/schemas/rest_test.v1.Inner" } } } } });
  });
});

function collectRefs(value: JsonValue, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => collectRefs(v, into));
  else if (typeof value == "object" && value !== null) {
    for (const [key, v] of Object.entries(value)) {
      if (key === "$ref" && typeof v == "string") into.add(v);
      else collectRefs(v, into);
    }
  }
  return into;
}

function resolve(root: JsonValue, ref: string): JsonValue | undefined {
  if (!ref.startsWith("#/")) return undefined;
  let node: JsonValue | undefined = root;
  for (const part of ref.slice(2).split("/")) {
    node = typeof node == "object" && node !== null && !Array.isArray(node) ? node[part.replace(/~1/g, "/").replace(/~0/g, "~")] : undefined;
  }
  return node;
}
