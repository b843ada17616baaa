import { MessageChannel } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { action, claimsOf, expectHealthy, run } from "../../test/support/runtime-harness.js";
import { maxValueDepth } from "./limits.js";
import { getSandboxModule } from "./sandbox-module.js";
import type { ActionRunResult } from "./types.js";
import { validateContext } from "./validate-context.js";

const nested = (levels: number) => `(() => { let v = "leaf"; for (let i = 0; i < ${levels}; i++) v = { k: v }; return v; })()`;
const tooDeep = (what: string) => `RangeError: ${what} is nested too deeply: more than 30 levels, which protobuf clients refuse`;

/** What the main thread gets of a worker's result: a structured clone, or a messageerror. */
async function crossThreads(result: ActionRunResult): Promise<"ok" | "messageerror"> {
  const { port1, port2 } = new MessageChannel();
  try {
    return await new Promise((resolve) => {
      port2.once("message", () => resolve("ok"));
      port2.once("messageerror", () => resolve("messageerror"));
      port1.postMessage(result);
    });
  } finally {
    port1.close();
  }
}

describe("values crossing the sandbox's edge", () => {
  it("may nest 30 levels", async () => {
    expect(maxValueDepth).toBe(30);
    const result = await run(action(`api.v1.claims.setClaim("deep", ${nested(30)});`));
    expect(result.outcome).toBe("succeeded");
    expect(JSON.stringify(claimsOf(result).deep)).toBe(`${'{"k":'.repeat(30)}"leaf"${"}".repeat(30)}`);
    expect(await crossThreads(result)).toBe("ok");
  });

  for (const levels of [31, 2_000]) {
    it(`fail a claim ${levels} levels deep at once, and the module stays clean`, async () => {
      const module = await getSandboxModule();
      const started = performance.now();
      const result = await run(action(`api.v1.claims.setClaim("deep", ${nested(levels)});`), { module, timeoutMs: 20_000 });
      expect(result).toMatchObject({ outcome: "failed", error: { message: tooDeep('claim "deep"') } });
      expect(performance.now() - started).toBeLessThan(5_000);
      expect(module.tainted).toBeFalsy();
      expect(await crossThreads(result)).toBe("ok");
      await expectHealthy();
    });
  }

  it.each([
    ["2", "5", `api.v1.user.setMetadata("m", ${nested(31)})`, 'metadata "m"'],
    ["1", "1", `api.v1.user.appendMetadata("m", ${nested(31)})`, 'metadata "m"'],
    ["1", "1", `api.metadata.push({ key: "m", value: ${nested(31)} })`, "api.metadata"],
    ["1", "3", `api.v1.appendUserGrant({ projectId: "p", extra: ${nested(31)} })`, "user grant"],
    ["2", "5", `require("zitadel/http").fetch("https://example.com", { body: ${nested(31)} })`, "fetch options"],
  ])("are checked in flow %s/%s: %s", async (flowType, triggerType, call, what) => {
    const result = await run(action(`${call};`), { flowType, triggerType, timeoutMs: 20_000 });
    expect(result.outcome).toBe("failed");
    // A guest-side list is read after the script ended: its error reaches no script, so it has no RangeError prefix.
    expect([tooDeep(what), tooDeep(what).replace(/^RangeError: /, "")]).toContain(result.error?.message);
  });

  it("let metadata nest 30 levels inside api.metadata", async () => {
    const result = await run(action(`api.v1.user.appendMetadata("m", ${nested(30)});`), { flowType: "1", triggerType: "1" });
    expect(result.outcome).toBe("succeeded");
    expect(result.mutations.metadata.map((m) => m.key)).toEqual(["m"]);
  });
});

describe("the caller's context", () => {
  const deepObject = (levels: number) => {
    let v: unknown = "leaf";
    for (let i = 0; i < levels; i++) v = { k: v };
    return v;
  };

  it("may nest a field as deep as a value may leave, and no deeper", () => {
    expect(validateContext("2", "5", { httpRequest: deepObject(30) }).ok).toBe(false);
    expect(validateContext("1", "1", { httpRequest: deepObject(30) })).toEqual({ ok: true });
    expect(validateContext("1", "1", { httpRequest: deepObject(31) })).toMatchObject({
      ok: false,
      message: "is nested too deeply (more than 30 levels)",
    });
  });

  it("counts the JSON inside a stored metadata text, which the script gets parsed", () => {
    const text = (levels: number) => JSON.stringify(deepObject(levels));
    expect(validateContext("1", "1", { orgMetadata: [{ key: "m", value: text(28) }] })).toEqual({ ok: true });
    expect(validateContext("1", "1", { orgMetadata: [{ key: "m", value: text(29) }] })).toEqual({
      ok: false,
      field: "orgMetadata[0].value",
      message: "is nested too deeply (more than 30 levels)",
    });
    expect(validateContext("1", "1", { orgMetadata: [{ key: "m", value: "[".repeat(100) }] })).toEqual({ ok: true });
  });
});
