import { describe, expect, it } from "vitest";
import { emptyMutations, type Mutations } from "../../runtime/index.js";
import { v1MutationsToV2Response } from "./function-answer.js";

const decode = (value: string) => Buffer.from(value, "base64").toString("utf8");

function mutations(changes: Partial<Mutations>): Mutations {
  return { ...emptyMutations(), ...changes };
}

describe("v1MutationsToV2Response", () => {
  it.each(["preuserinfo", "preaccesstoken", "presamlresponse"] as const)("answers {} for %s when nothing changed", (fn) => {
    expect(v1MutationsToV2Response(fn, emptyMutations())).toEqual({});
  });

  it("sends claims in order, log lines of every action in order, and metadata as base64 of the stored JSON", () => {
    const answer = v1MutationsToV2Response(
      "preuserinfo",
      mutations({
        claims: { a: 1, b: { nested: ["x"] }, c: null },
        claimLogs: [
          { action: "first", entries: ["one", "two"] },
          { action: "second", entries: ["three"] },
        ],
        metadata: [{ key: "tier", value: '{"level":2}' }, { key: "s", value: '"x"' }],
      }),
    );
    expect(answer).toEqual({
      append_claims: [
        { key: "a", value: 1 },
        { key: "b", value: { nested: ["x"] } },
        { key: "c", value: null },
      ],
      append_log_claims: ["one", "two", "three"],
      set_user_metadata: [
        { key: "tier", value: Buffer.from('{"level":2}').toString("base64") },
        { key: "s", value: Buffer.from('"x"').toString("base64") },
      ],
    });
    expect(answer.set_user_metadata?.map((m) => decode(m.value))).toEqual(['{"level":2}', '"x"']);
  });

  it("keeps non-ASCII metadata exact as UTF-8 bytes", () => {
    const answer = v1MutationsToV2Response("preaccesstoken", mutations({ metadata: [{ key: "k", value: '"Zürich ✓"' }] }));
    expect(Buffer.from(answer.set_user_metadata?.[0]?.value ?? "", "base64")).toEqual(Buffer.from('"Zürich ✓"', "utf8"));
  });

  it("answers SAML with attributes and metadata only", () => {
    const answer = v1MutationsToV2Response(
      "presamlresponse",
      mutations({
        customAttributes: [{ name: "Role", nameFormat: "urn:oasis:names:tc:SAML:2.0:attrname-format:basic", values: ["admin", "viewer"] }],
        metadata: [{ key: "k", value: "1" }],
      }),
    );
    expect(answer).toEqual({
      append_attribute: [{ name: "Role", name_format: "urn:oasis:names:tc:SAML:2.0:attrname-format:basic", value: ["admin", "viewer"] }],
      set_user_metadata: [{ key: "k", value: Buffer.from("1").toString("base64") }],
    });
  });

  it("sends no attributes from a token function", () => {
    const answer = v1MutationsToV2Response("preuserinfo", mutations({ customAttributes: [{ name: "n", nameFormat: "", values: [] }] }));
    expect(answer).toEqual({});
  });
});
