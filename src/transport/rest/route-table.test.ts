import { describe, expect, it } from "vitest";
import { ManagementService } from "../../../gen/zitadel/management/v1/management_pb.js";
import { compileHttpRules } from "./http-rule.js";
import { createRouteTable, type Lookup } from "./route-table.js";
import { restTestService } from "../../../test/support/rest-test-service.js";

const routes = [
  ...ManagementService.methods.flatMap((m) => compileHttpRules(m, "/management/v1/")),
  ...restTestService.methods.flatMap((m) => compileHttpRules(m, "/rest-test/v1")),
].map((binding) => ({ binding, target: binding.method.name }));
const lookup = createRouteTable(routes);

function routed(result: Lookup<string>): string | [string, string[]] {
  return result.kind === "match" ? [result.route.target, result.values] : result.kind;
}

describe("compileHttpRules()", () => {
  it("compiles every management RPC once, with its prefix and body rule", () => {
    const bindings = ManagementService.methods.flatMap((m) => compileHttpRules(m, "/management/v1"));
    expect(bindings).toHaveLength(12);
    const del = bindings.find((b) => b.method.name === "DeleteAction")!;
    expect([del.httpMethod, del.body, del.template.segments.length]).toEqual(["DELETE", "*", 4]);
    expect(bindings.find((b) => b.method.name === "GetAction")!.body).toBeUndefined();
  });

  it("compiles additional_bindings, body fields, response_body and custom methods", () => {
    const [get, check, files, search] = compileHttpRules(restTestService.method["echo"]!, "");
    expect(get!.httpMethod).toBe("GET");
    expect([check!.httpMethod, check!.template.verb, (check!.body as { name: string }).name]).toEqual(["POST", "check", "inner"]);
    expect(check!.pathFields[0]!.map((f) => f.name)).toEqual(["inner", "id"]);
    expect(files!.template.segments.at(-1)).toEqual({ kind: "rest" });
    expect(search!.httpMethod).toBe("SEARCH");
    expect(compileHttpRules(restTestService.method["echoInner"]!, "")[0]!.responseBody?.name).toBe("inner");
  });

  it("throws at creation for a broken annotation", () => {
    const method = { ...ManagementService.method.getAction, parent: ManagementService };
    expect(() => compileHttpRules(method, "/management/v1/{")).toThrow(/GetAction: path "\/management\/v1\/{\/actions\/{id}"/);
  });
});

describe("createRouteTable()", () => {
  const cases: [string, string, ReturnType<typeof routed>][] = [
    ["POST", "/management/v1/actions/_search", ["ListActions", []]],
    ["GET", "/management/v1/actions/_search", ["GetAction", ["_search"]]],
    ["GET", "/management/v1/actions/42", ["GetAction", ["42"]]],
    ["PUT", "/management/v1/actions/42", ["UpdateAction", ["42"]]],
    ["DELETE", "/management/v1/actions/42", ["DeleteAction", ["42"]]],
    ["POST", "/management/v1/actions/42/_deactivate", ["DeactivateAction", ["42"]]],
    ["POST", "/management/v1/flows/types/_search", ["ListFlowTypes", []]],
    ["POST", "/management/v1/flows/2/triggers/_search", ["ListFlowTriggerTypes", ["2"]]],
    ["POST", "/management/v1/flows/2/_clear", ["ClearFlow", ["2"]]],
    ["POST", "/management/v1/flows/2/trigger/3", ["SetTriggerActions", ["2", "3"]]],
    ["POST", "/rest-test/v1/echo/9:check", ["Echo", ["9"]]],
    ["GET", "/rest-test/v1/files/docs/a/b", ["Echo", ["docs/a/b"]]],
    ["SEARCH", "/rest-test/v1/echo", ["Echo", []]],
    ["PATCH", "/management/v1/actions/42", "method-not-allowed"],
    ["GET", "/management/v1/actions", "method-not-allowed"],
    ["POST", "/management/v1/actions/42/_explode", "not-found"],
    ["GET", "/actions/42", "not-found"],
    ["GET", "/management/v2/actions/42", "not-found"],
    ["GET", "/management/v1/actions/%", "bad-path"],
  ];
  for (const [method, path, expected] of cases) {
    it(`${method} ${path}`, () => {
      expect(routed(lookup(method, path))).toEqual(expected);
    });
  }
});
