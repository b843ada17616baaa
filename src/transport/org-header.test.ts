import { describe, expect, it } from "vitest";
import { parseOrgHeader } from "./org-header.js";

describe("parseOrgHeader()", () => {
  it("reads no header, an empty one or only whitespace as the caller's own org", () => {
    for (const value of [null, undefined, "", "  ", "\t"]) expect(parseOrgHeader(value)).toEqual({ orgId: null });
  });

  it("trims what surrounds an id", () => {
    for (const value of ["123", " 123", "123 ", "\t123 "]) expect(parseOrgHeader(value)).toEqual({ orgId: "123" });
  });

  it("refuses what cannot be an org id with InvalidArgument", () => {
    for (const value of ["1 2", "1, 2", "12\u00e9", "1\u00002", "x".repeat(201)]) {
      const parsed = parseOrgHeader(value);
      expect(parsed.error?.code, value).toBe("InvalidArgument");
      expect(parsed.error?.message).toBe("x-zitadel-orgid is not an organisation id (AUTH-org-header)");
    }
  });
});
