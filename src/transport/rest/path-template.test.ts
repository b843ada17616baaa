import { describe, expect, it } from "vitest";
import { compareSpecificity, matchPath, splitRequestPath } from "./path-matcher.js";
import { parsePathTemplate, type PathTemplate } from "./path-template.js";

function parse(source: string): PathTemplate {
  const result = parsePathTemplate(source);
  if (result.error !== undefined) throw new Error(`${source}: ${result.error}`);
  return result.template;
}

function match(template: string, path: string): string[] | undefined {
  const split = splitRequestPath(path);
  if (split.error !== undefined) throw new Error(split.error);
  return matchPath(parse(template), split.segments);
}

describe("parsePathTemplate()", () => {
  it("parses literals, variables, wildcards and a verb", () => {
    expect(parse("/v1/{name=shelves/*/books/*}:publish")).toEqual({
      segments: [
        { kind: "literal", value: "v1" },
        { kind: "literal", value: "shelves" },
        { kind: "any" },
        { kind: "literal", value: "books" },
        { kind: "any" },
      ],
      variables: [{ fieldPath: ["name"], start: 1, end: 5 }],
      verb: "publish",
    });
  });

  it("reads {var} as {var=*} and keeps dotted field paths", () => {
    expect(parse("/actions/{action.id}")).toEqual({
      segments: [{ kind: "literal", value: "actions" }, { kind: "any" }],
      variables: [{ fieldPath: ["action", "id"], start: 1, end: 2 }],
      verb: undefined,
    });
  });

  it("accepts ** as the last segment, inside a variable too", () => {
    expect(parse("/files/**").segments.at(-1)).toEqual({ kind: "rest" });
    expect(parse("/files/{path=docs/**}:get").variables).toEqual([{ fieldPath: ["path"], start: 1, end: 3 }]);
  });

  const invalid: [string, string][] = [
    ["actions", "must start with '/'"],
    ["/a//b", 'invalid segment ""'],
    ["/a/{id", "unbalanced braces"],
    ["/a/{id}}", "unbalanced or nested braces"],
    ["/a/{x={y}}", "unbalanced or nested braces"],
    ["/a/**/b", "'**' must be the last segment"],
    ["/a/{id}/{id}", "variable {id} bound twice"],
    ["/a/{1x}", 'invalid field path in "{1x}"'],
    ["/a:", 'invalid verb ":"'],
    ["/a/b*", 'invalid segment "b*"'],
  ];
  for (const [source, error] of invalid) {
    it(`rejects ${JSON.stringify(source)} as a value`, () => {
      expect(parsePathTemplate(source)).toEqual({ error });
    });
  }
});

describe("matchPath()", () => {
  it("captures single-segment variables", () => {
    expect(match("/actions/{id}", "/actions/123")).toEqual(["123"]);
    expect(match("/flows/{flow_type}/trigger/{trigger_type}", "/flows/1/trigger/2")).toEqual(["1", "2"]);
  });

  it("requires literals and segment counts to agree", () => {
    expect(match("/actions/{id}", "/actions")).toBeUndefined();
    expect(match("/actions/{id}", "/actions/1/x")).toBeUndefined();
    expect(match("/actions/_search", "/actions/search")).toBeUndefined();
  });

  it("does not let * match an empty segment", () => {
    expect(match("/actions/{id}", "/actions/")).toBeUndefined();
  });

  it("lets ** capture the rest of the path, decoded per segment", () => {
    expect(match("/files/{path=docs/**}", "/files/docs/a/b%2Fc")).toEqual(["docs/a/b/c"]);
    expect(match("/files/{path=docs/**}", "/files/docs")).toEqual(["docs"]);
    expect(match("/files/{path=docs/**}", "/files/img/a")).toBeUndefined();
  });

  it("matches the verb and strips it from the last segment", () => {
    expect(match("/echo/{id}:check", "/echo/7:check")).toEqual(["7"]);
    expect(match("/echo/{id}:check", "/echo/7")).toBeUndefined();
    expect(match("/echo/{id}", "/echo/7:check")).toEqual(["7:check"]);
  });

  it("decodes percent-encoded variable values", () => {
    expect(match("/actions/{id}", "/actions/a%20b")).toEqual(["a b"]);
  });
});

describe("splitRequestPath()", () => {
  it("returns malformed escapes as an error value", () => {
    expect(splitRequestPath("/actions/%zz")).toEqual({ error: 'malformed percent-encoding in path segment "%zz"' });
  });
  it("rejects paths that are not absolute", () => {
    expect(splitRequestPath("*").error).toBeDefined();
  });
});

describe("compareSpecificity()", () => {
  it("orders literals before variables before **", () => {
    const templates = ["/actions/{id}", "/{all=**}", "/actions/_search", "/actions/{id}:check"].map(parse);
    const sorted = [...templates].sort(compareSpecificity).map((t) => templates.indexOf(t));
    expect(sorted).toEqual([2, 3, 0, 1]);
  });
});
