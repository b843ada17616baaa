import { describe, expect, it } from "vitest";
import { emptyMutations, type PackedMutations } from "./mutations.js";
import { runAction } from "./run-action.js";
import { getSandboxModule } from "./sandbox-module.js";
import { action, claimsOf, run, stubHost } from "../../test/support/runtime-harness.js";

describe("runAction() invocation", () => {
  it("calls the global function named like the action with (ctx, api)", async () => {
    const result = await run(action(`api.v1.claims.setClaim("args", [typeof ctx, typeof api, arguments.length])`, "addClaims"), {
      name: "addClaims",
    });
    expect(result.outcome).toBe("succeeded");
    expect(claimsOf(result)).toEqual({ args: ["object", "object", 2] });
    expect(result.durationMs).toBeGreaterThan(0);
    expect(result.error).toBeUndefined();
  });

  it("names the action and the rule when the function is missing", async () => {
    const result = await run("function addclaims(ctx, api) {}", { name: "addClaims" });
    expect(result.outcome).toBe("failed");
    expect(result.error?.message).toBe(
      'function "addClaims" not found: the script must define a global function named exactly like the action',
    );
  });

  it("says what the global is when it is not a function", async () => {
    const result = await run("var addClaims = 42;", { name: "addClaims" });
    expect(result.error?.message).toMatch(/not found: .* \(the global "addClaims" is a number\)$/);
  });

  it("finds top-level const, let and class-free arrow bindings too", async () => {
    for (const script of ["const act = (ctx, api) => {};", "let act = function (ctx, api) {};"]) {
      expect((await run(script, { name: "act" })).outcome).toBe("succeeded");
    }
  });

  it("finds a function whose name is not an identifier when it is a global property", async () => {
    const result = await run(`globalThis["my action"] = function (ctx, api) {};`, { name: "my action" });
    expect(result.outcome).toBe("succeeded");
  });

  it("reports a syntax error with its line and column", async () => {
    const result = await run("function action(ctx, api) {\n  var x = ;\n}");
    expect(result).toMatchObject({ outcome: "failed", error: { message: expect.stringMatching(/^SyntaxError: /), line: 2, column: 9 } });
  });

  it("treats import/export as the syntax errors they are in a script", async () => {
    const result = await run('import fs from "fs";\nfunction action() {}');
    expect(result.outcome).toBe("failed");
    expect(result.error?.message).toMatch(/^SyntaxError/);
  });

  it("reports a throw with message, line and column", async () => {
    const result = await run(action('  var a = 1;\n  throw new TypeError("no " + a);'));
    expect(result).toMatchObject({ outcome: "failed", error: { message: "TypeError: no 1", line: 3, column: expect.any(Number) } });
  });

  it("reports a thrown non-error value as it is", async () => {
    expect((await run(action('throw "plain"'))).error?.message).toBe("plain");
    expect((await run(action("throw { code: 7 }"))).error?.message).toBe('{"code":7}');
  });

  it("reports errors thrown at the top level of the script", async () => {
    const result = await run('function action() {}\nnull.x;');
    expect(result).toMatchObject({ outcome: "failed", error: { line: 2 } });
    expect(result.error?.message).toMatch(/^TypeError/);
  });

  it("awaits an async function within the deadline", async () => {
    const script = `async function action(ctx, api) {
      const value = await Promise.resolve(41).then((v) => v + 1);
      api.v1.claims.setClaim("answer", value);
    }`;
    const result = await run(script);
    expect(result.outcome).toBe("succeeded");
    expect(claimsOf(result)).toEqual({ answer: 42 });
  });

  it("fails with the rejection of an async function", async () => {
    const result = await run("async function action() {\n  await null;\n  throw new RangeError('late');\n}");
    expect(result).toMatchObject({ outcome: "failed", error: { message: "RangeError: late", line: 3 } });
  });

  it("awaits a returned promise and fails on its rejection", async () => {
    expect((await run(action("return Promise.resolve(true);"))).outcome).toBe("succeeded");
    expect((await run(action('return Promise.reject(new Error("nope"));'))).error?.message).toBe("Error: nope");
  });

  it("fails a promise that can never settle, since there is no event loop", async () => {
    const result = await run(action("return new Promise(() => {});"));
    expect(result).toMatchObject({ outcome: "failed", error: { message: 'the promise returned by "action" never settled' } });
  });

  it("counts undefined, null and any non-error return value as success", async () => {
    for (const value of ["undefined", "null", "true", "0", '"text"', "({ a: 1 })", "[1, 2]"]) {
      expect((await run(action(`return ${value};`))).outcome, value).toBe("succeeded");
    }
  });

  it("fails when the function returns (or resolves to) an Error", async () => {
    expect((await run(action('return new Error("returned");'))).error?.message).toBe("Error: returned");
    expect((await run(`async function action() { return new TypeError("resolved"); }`)).error?.message).toBe("TypeError: resolved");
  });

  it("runs promise jobs left behind before collecting the mutations", async () => {
    const result = await run(action('Promise.resolve().then(() => api.v1.claims.setClaim("later", 1));'));
    expect(claimsOf(result)).toEqual({ later: 1 });
  });

  it("returns the input mutations unchanged when the run fails", async () => {
    const input: PackedMutations = { ...emptyMutations(), claims: { kept: "true" }, metadata: [{ key: "k", value: '"v"' }] };
    const result = await run(action('api.v1.claims.setClaim("lost", 1); api.v1.user.setMetadata("m", 1); throw new Error("x");'), {
      mutations: input,
    });
    expect(result.outcome).toBe("failed");
    expect(result.mutations).toEqual(input);
  });

  it("never changes the mutations object it is given", async () => {
    const input: PackedMutations = { ...emptyMutations(), claims: { kept: "true" } };
    const snapshot = structuredClone(input);
    const result = await run(action('api.v1.claims.setClaim("added", 1);'), { mutations: input });
    expect(input).toEqual(snapshot);
    expect(claimsOf(result)).toEqual({ kept: true, added: 1 });
  });

  it("rejects a context that does not fit the trigger, naming the field", async () => {
    const result = await run(action(""), { context: { user: { human: { email: 42 } } } });
    expect(result).toMatchObject({ outcome: "failed", error: { message: "invalid context: user.human.email must be a string" } });
  });

  it("rejects a flow/trigger pair that does not exist", async () => {
    const result = await run(action(""), { flowType: "2", triggerType: "1" });
    expect(result.error?.message).toBe("flow 2 has no trigger 1");
  });

  it("times out at once when the deadline has already passed", async () => {
    const module = await getSandboxModule();
    const request = {
      name: "action",
      script: action(""),
      deadline: performance.now() - 1,
      flowType: "2",
      triggerType: "4",
      context: {},
      mutations: emptyMutations(),
    };
    const result = runAction(request, stubHost().host, module);
    expect(result.outcome).toBe("timed_out");
  });

  it("gives every run fresh globals", async () => {
    await run(action("globalThis.leak = 1; Object.prototype.polluted = 1;"));
    const result = await run(action('api.v1.claims.setClaim("seen", [typeof leak, typeof ({}).polluted]);'));
    expect(claimsOf(result)).toEqual({ seen: ["undefined", "undefined"] });
  });
});

describe("runAction() stopped by the host", () => {
  const stoppedMessage = "stopped: the caller went away before the action finished";

  it("ends a running action as soon as the host says stop, well before its deadline", async () => {
    let polls = 0;
    const result = await run(action("for (;;) {}"), { timeoutMs: 20_000, stopped: () => ++polls > 3 });
    expect(result.outcome).toBe("timed_out");
    expect(result.error?.message).toBe(stoppedMessage);
    expect(result.durationMs).toBeLessThan(10_000);
  });

  it("does not start an action the host already gave up on", async () => {
    const result = await run(action('api.v1.claims.setClaim("ran", true)'), { stopped: () => true });
    expect(result.error?.message).toBe(stoppedMessage);
    expect(claimsOf(result)).toEqual({});
  });

  it("runs to the end while the host does not stop it", async () => {
    const result = await run(action('api.v1.claims.setClaim("ran", true)'), { stopped: () => false });
    expect(result.outcome).toBe("succeeded");
    expect(claimsOf(result)).toEqual({ ran: true });
  });
});
