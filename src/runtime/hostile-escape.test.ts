import { describe, expect, it } from "vitest";
import { action, claimsOf, expectHealthy, run } from "../../test/support/runtime-harness.js";

/** Evaluates `expression` in an action and returns it as the claim "out". */
async function observe(expression: string) {
  const result = await run(action(`api.v1.claims.setClaim("out", ${expression});`));
  expect(result.error).toBeUndefined();
  return claimsOf(result).out;
}

describe("hostile scripts: reaching out of the sandbox", () => {
  it("finds no host objects, typed arrays, Proxy or WebAssembly", async () => {
    const names = [
      "process", "global", "Buffer", "setTimeout", "setInterval", "fetch", "std", "os", "performance", "WebAssembly",
      "ArrayBuffer", "SharedArrayBuffer", "DataView", "Uint8Array", "Int32Array", "Float64Array", "Atomics", "Proxy",
      "BigInt", "WeakRef", "FinalizationRegistry", "module", "exports", "__dirname", "importScripts",
    ];
    const out = await observe(`${JSON.stringify(names)}.filter((n) => typeof globalThis[n] !== "undefined")`);
    expect(out).toEqual([]);
  });

  it("adds nothing to the global object but console and require", async () => {
    const standard = await observe("Object.getOwnPropertyNames(globalThis).filter((n) => !/^[A-Z]/.test(n)).sort()");
    expect(standard).toEqual([
      "action",
      "console", "decodeURI", "decodeURIComponent", "encodeURI", "encodeURIComponent", "escape", "eval", "globalThis",
      "isFinite", "isNaN", "parseFloat", "parseInt", "queueMicrotask", "require", "undefined", "unescape",
    ]);
  });

  it("reaches only the guest's own global through the Function constructor", async () => {
    expect(await observe('[typeof Function("return this")().process, require.constructor("return typeof process")()]')).toEqual([
      "undefined",
      "undefined",
    ]);
    expect(await observe('typeof console.log.constructor.constructor("return this")().require')).toBe("function");
  });

  it("cannot load modules through dynamic import", async () => {
    const result = await run("async function action() { await import('fs'); }");
    expect(result.outcome).toBe("failed");
    expect(result.error?.message).toMatch(/module|import/i);
  });

  it("cannot read the filesystem through require", async () => {
    for (const name of ["fs", "node:fs", "/etc/passwd", "../../package.json", "child_process"]) {
      const result = await run(action(`require(${JSON.stringify(name)});`));
      expect(result.error?.message).toContain("not found: require knows only");
    }
  });

  it("exposes host functions as plain native functions", async () => {
    expect(await observe("[String(require).includes('[native code]'), Object.keys(require), require.name]")).toEqual([true, [], "require"]);
  });
});

describe("hostile scripts: prototype tricks on what crosses to the host", () => {
  it("drops __proto__ keys at the boundary, so no host object can be re-prototyped downstream", async () => {
    const result = await run(action(`
      api.v1.claims.setClaim("v", JSON.parse('{"__proto__": {"polluted": true}, "a": {"__proto__": 1, "b": 2}}'));
      api.v1.claims.setClaim("__proto__", { polluted: true });`));
    const claims = claimsOf(result);
    expect(Object.keys(claims)).toEqual(["v"]);
    expect(claims.v).toEqual({ a: { b: 2 } });
    const merged: Record<string, unknown> = Object.assign({}, claims.v, claims);
    expect(merged.polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("takes toJSON into account, but only as JSON", async () => {
    const result = await run(action('api.v1.claims.setClaim("t", { toJSON() { return { swapped: [1, { toJSON: () => "deep" }] }; } });'));
    expect(claimsOf(result).t).toEqual({ swapped: [1, "deep"] });
  });

  it("fails cleanly when a getter throws while a value is read", async () => {
    const result = await run(action('api.v1.claims.setClaim("g", { get boom() { throw new Error("getter"); } });'));
    expect(result.error?.message).toBe("Error: getter");
    await expectHealthy();
  });

  it("cannot forge reserved claims by patching JSON.stringify or the prototypes", async () => {
    const result = await run(action(`
      JSON.stringify = () => '{"urn:zitadel:iam:org:id":"evil"}';
      Object.prototype.toJSON = function () { return "patched"; };
      api.v1.claims.setClaim("x", { a: 1 });`));
    expect(Object.keys(claimsOf(result))).toEqual(["x"]);
    expect(claimsOf(result).x).toEqual({ "urn:zitadel:iam:org:id": "evil" });
  });

  it("fails when api.metadata no longer holds metadata entries", async () => {
    const result = await run(action('api.metadata.push("not an entry");'), { flowType: "1", triggerType: "1" });
    expect(result.error?.message).toBe("api.metadata[0] must be an object {key: string, value}");
    const replaced = await run(action("Array.prototype.toJSON = () => 'gone'; api.v1.user.appendMetadata('k', 1);"), { flowType: "1", triggerType: "1" });
    expect(replaced.error?.message).toBe("api.metadata must stay an array");
  });

  it("runs no setter a script put on Array.prototype when the host appends, and survives a frozen list", async () => {
    const trapped = await run(
      action(`Object.defineProperty(Array.prototype, "0", { set() { throw new Error("trap"); }, configurable: true });
        api.v1.user.appendMetadata("k", 1);`),
      { flowType: "1", triggerType: "1" },
    );
    expect(trapped.outcome).toBe("failed");
    expect(trapped.error?.message).toBe("Error: trap");
    const frozen = await run(action('Object.freeze(api.metadata); api.v1.user.appendMetadata("k", 1);'), { flowType: "1", triggerType: "1" });
    expect(frozen.error?.message).toBe("TypeError: api.metadata cannot be extended");
    await expectHealthy();
  });

  it("survives a throwing getter named like the action on the global object", async () => {
    const result = await run('Object.defineProperty(globalThis, "action", { get() { throw new Error("no"); } });');
    expect(result).toMatchObject({ outcome: "failed", error: { message: 'reading "action" threw' } });
    await expectHealthy();
  });

  it("survives replaced built-ins the host would otherwise use", async () => {
    const result = await run(action(`
      delete globalThis.JSON; String = null; Reflect.set = null; Object.is = () => { throw new Error("is"); };
      console.log({ a: 1 }, "text");
      throw { message: "odd" };`));
    expect(result.outcome).toBe("failed");
    expect(result.logs).toHaveLength(1);
    await expectHealthy();
  });

  it("gets no host data from an error thrown by the runtime", async () => {
    const out = await observe('(() => { try { require("zitadel/http").fetch(); } catch (e) { return [e.message, typeof e.stack, Object.keys(e)]; } })()');
    expect(out).toEqual(["no url provided", "string", []]);
  });
});
