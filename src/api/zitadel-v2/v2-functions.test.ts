import { describe, expect, it } from "vitest";
import { findFlowType, flowHasTrigger } from "../../domain/flow.js";
import { findV2Function, v2FunctionTriggers } from "./v2-functions.js";

describe("v2 functions", () => {
  it("map to the v1 triggers they replace", () => {
    expect(v2FunctionTriggers).toEqual({
      preuserinfo: { flowType: "2", triggerType: "4" },
      preaccesstoken: { flowType: "2", triggerType: "5" },
      presamlresponse: { flowType: "4", triggerType: "6" },
    });
    for (const { flowType, triggerType } of Object.values(v2FunctionTriggers)) {
      const flow = findFlowType(flowType);
      expect(flow && flowHasTrigger(flow, triggerType)).toBe(true);
    }
  });

  it.each([
    ["function/preaccesstoken", "preaccesstoken"],
    ["function.presamlresponse", "presamlresponse"],
    ["preuserinfo", "preuserinfo"],
    ["function/PreUserinfo", undefined],
    ["function/toString", undefined],
    ["request/preuserinfo", undefined],
    ["function/", undefined],
    ["", undefined],
  ])("finds %j as %s", (value, expected) => {
    expect(findV2Function(value)).toBe(expected);
  });
});
