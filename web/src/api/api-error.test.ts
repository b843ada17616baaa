import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { ViolationsSchema } from "@bufbuild/protovalidate/gen/buf/validate/validate_pb.js";
import { describe, expect, it } from "vitest";
import { fieldError, toApiError } from "./api-error.js";

describe("toApiError", () => {
  it("names the fields of buf.validate's violations, in camelCase", () => {
    const violations = create(ViolationsSchema, {
      violations: [{ field: { elements: [{ fieldName: "allowed_to_fail" }] }, message: "must be set", ruleId: "required" }],
    });
    const err = new ConnectError("allowed_to_fail: must be set", Code.InvalidArgument, undefined, [{ desc: ViolationsSchema, value: violations }]);
    expect(toApiError(err)).toEqual({ code: "InvalidArgument", message: "allowed_to_fail: must be set", fields: { allowedToFail: "must be set" } });
  });

  it("reads a field path from the message when no detail names it", () => {
    const err = new ConnectError("context.claims.deep: is nested too deeply", Code.InvalidArgument);
    const apiError = toApiError(err);
    expect(apiError.fields).toEqual({ "context.claims.deep": "is nested too deeply" });
    expect(fieldError(apiError, "context")).toBe("context.claims.deep: is nested too deeply");
    expect(fieldError(apiError, "name")).toBeUndefined();
  });

  it("leaves messages that name no field to the page", () => {
    expect(toApiError(new ConnectError("Action not found (QUERY-GEfnb)", Code.NotFound))).toEqual({
      code: "NotFound",
      message: "Action not found (QUERY-GEfnb)",
      fields: {},
    });
  });
});
