import { createRegistry, toJson, type JsonValue } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { ManagementService } from "../../../gen/zitadel/management/v1/management_pb.js";
import { compileHttpRules, type Binding } from "./http-rule.js";
import { bindRequest } from "./request-binding.js";
import { restTestService } from "../../../test/support/rest-test-service.js";

const registry = createRegistry(restTestService.file, ManagementService.file);
const [echoGet, echoCheck] = compileHttpRules(restTestService.method["echo"]!, "");
const update = compileHttpRules(ManagementService.method.updateAction, "")[0]!;

function bind(binding: Binding, values: string[], query = "", body?: string | Uint8Array): JsonValue | { error: string } {
  const bytes = typeof body == "string" ? new TextEncoder().encode(body) : body;
  const result = bindRequest(binding, values, new URLSearchParams(query), bytes, registry);
  return result.error !== undefined ? { error: result.error } : toJson(binding.method.input, result.message);
}

describe("bindRequest()", () => {
  it("lets path variables override the body", () => {
    expect(bind(update, ["from-path"], "", '{"id":"from-body","name":"n"}')).toEqual({ id: "from-path", name: "n" });
  });

  it("ignores the query when the whole body is bound", () => {
    expect(bind(update, ["1"], "name=q", "")).toEqual({ id: "1" });
  });

  it("converts query values per field type, by proto or JSON name", () => {
    const query = "name_prefix=a&count=9007199254740993&active=t&color=COLOR_RED&tags=x&tags=y&inner.note=n&timeout=1.5s";
    expect(bind(echoGet!, ["7"], query)).toEqual({
      id: "7",
      namePrefix: "a",
      count: "9007199254740993",
      active: true,
      color: "COLOR_RED",
      tags: ["x", "y"],
      inner: { note: "n" },
      timeout: "1.500s",
    });
    expect(bind(echoGet!, ["7"], "namePrefix=b&color=1&active=0")).toEqual({ id: "7", namePrefix: "b", color: "COLOR_RED" });
  });

  it("ignores unknown parameters and those bound by the path", () => {
    expect(bind(echoGet!, ["7"], "bogus=1&id=other&inner.bogus=2&count.x=1")).toEqual({ id: "7" });
  });

  const badQueries: [string, string][] = [
    ["active=yes", 'invalid value for bool field active: "yes"'],
    ["color=COLOR_BLUE", 'invalid value for enum field color: "COLOR_BLUE"'],
    ["count=1&count=2", 'too many values for query parameter "count"'],
    ["inner=x", 'query parameter "inner" cannot set field inner'],
  ];
  for (const [query, error] of badQueries) {
    it(`returns ${JSON.stringify(query)} as an error value`, () => {
      expect(bind(echoGet!, ["7"], query)).toEqual({ error });
    });
  }

  it("reports protojson's own message for values of the wrong form", () => {
    expect(bind(echoGet!, ["7"], "count=abc")).toEqual({ error: expect.stringContaining("count") });
  });

  it("binds a body field, the path inside it, and the query outside it", () => {
    expect(bind(echoCheck!, ["p"], "namePrefix=q&inner.note=ignored", '{"id":"b","note":"n"}')).toEqual({
      namePrefix: "q",
      inner: { id: "p", note: "n" },
    });
  });

  it("reads an empty or blank body as {}", () => {
    expect(bind(update, ["1"], "", "")).toEqual({ id: "1" });
    expect(bind(update, ["1"], "", " \n")).toEqual({ id: "1" });
    expect(bind(echoCheck!, ["p"], "", "")).toEqual({ inner: { id: "p" } });
  });

  it("ignores unknown body fields but not wrong types", () => {
    expect(bind(update, ["1"], "", '{"name":"n","bogus":{"a":1}}')).toEqual({ id: "1", name: "n" });
    expect(bind(update, ["1"], "", '{"name":5}')).toEqual({ error: expect.stringContaining("name") });
  });

  it("returns broken bodies as error values", () => {
    expect(bind(update, ["1"], "", "{")).toEqual({ error: expect.stringMatching(/^invalid request body: /) });
    expect(bind(update, ["1"], "", "[1]")).toEqual({
      error: "invalid request body: zitadel.management.v1.UpdateActionRequest must be a JSON object",
    });
    expect(bind(update, ["1"], "", new Uint8Array([0x7b, 0xff, 0x7d]))).toEqual({ error: "invalid request body: not valid UTF-8" });
  });
});
