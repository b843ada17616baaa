import { describe, expect, it } from "vitest";
import { action, claimsOf, run } from "../../test/support/runtime-harness.js";
import { emptyMutations } from "./mutations.js";
import { perValueBytes } from "./result-size.js";

/** An execution whose earlier runs left `left` bytes of its 10 000. */
const execution = (left: number) => ({ maxBytes: 10_000, usedBytes: 10_000 - left });
const exceeded = (what: string) => `${what}: this execution's results exceed 10000 bytes (the changes and logs of all its actions together)`;

describe("the results cap of an execution", () => {
  it("fails the run whose claim would pass it, with its changes dropped", async () => {
    const result = await run(action('api.v1.claims.setClaim("a", "x".repeat(100)); api.v1.claims.setClaim("b", "x".repeat(2000));'), {
      results: execution(1_000),
    });
    expect(result).toMatchObject({ outcome: "failed", error: { message: `RangeError: ${exceeded("setClaim")}` } });
    expect(result.mutations).toEqual(emptyMutations());
    expect(result.resultBytes).toBe(0);
  });

  it("fails the run even when the script catches the error", async () => {
    const result = await run(action('try { api.v1.claims.setClaim("b", "x".repeat(2000)); } catch (e) {} api.v1.claims.setClaim("c", 1);'), {
      results: execution(1_000),
    });
    expect(result).toMatchObject({ outcome: "failed", error: { message: exceeded("setClaim") } });
  });

  it("reports what a run that fits added: its changes and its logs", async () => {
    const result = await run(action('api.v1.claims.setClaim("k", "vv"); console.log("hello");'), { results: execution(1_000) });
    expect(result.outcome).toBe("succeeded");
    const claim = 1 + perValueBytes + 4 + perValueBytes;
    const log = 5 + perValueBytes;
    expect(result.resultBytes).toBe(claim + log);
  });

  it("counts logs: the run that logs past the cap fails and keeps only what fitted", async () => {
    const result = await run(action('for (let i = 0; i < 50; i++) console.log("y".repeat(90));'), { results: execution(1_000) });
    expect(result).toMatchObject({ outcome: "failed", error: { message: exceeded("logs") } });
    const kept = result.logs.filter((l) => l.message.startsWith("y"));
    expect(kept).toHaveLength(10);
    expect(result.resultBytes).toBe(10 * (90 + perValueBytes));
  });

  it("counts what a script pushed into api.metadata by hand, at the end of the run", async () => {
    const body = 'for (let i = 0; i < 20; i++) api.metadata.push({ key: "k" + i, value: "v".repeat(100) });';
    const result = await run(action(body), { flowType: "1", triggerType: "1", results: execution(1_000) });
    expect(result).toMatchObject({ outcome: "failed", error: { message: exceeded("api.metadata") } });
  });

  it("counts every api that keeps text: user setters, metadata, grants, attributes, the log claim", async () => {
    // Each call keeps 600 bytes and more; run twice (with a fresh name `i`), they pass the 1 000 left.
    const big = '"z".repeat(600)';
    for (const [flowType, triggerType, call] of [
      ["1", "1", `api.setFirstName(${big})`],
      ["2", "5", `api.v1.user.setMetadata("m" + i, ${big})`],
      ["1", "1", `api.v1.user.appendMetadata("m" + i, ${big})`],
      ["1", "3", `api.v1.appendUserGrant({ projectId: ${big} })`],
      ["4", "6", `api.v1.attributes.setCustomAttribute("n" + i, "", ${big})`],
      ["2", "5", `api.v1.claims.appendLogIntoClaims(${big})`],
    ]) {
      const result = await run(action(`for (let i = 0; i < 2; i++) ${call};`), { flowType, triggerType, results: execution(1_000) });
      expect(result.outcome, call).toBe("failed");
      expect(result.error?.message, call).toMatch(/this execution's results exceed 10000 bytes/);
    }
  });

  it("leaves runs without an execution uncapped, within their own limit", async () => {
    const result = await run(action('api.v1.claims.setClaim("b", "x".repeat(20000));'));
    expect(result.outcome).toBe("succeeded");
    expect(Object.keys(claimsOf(result))).toEqual(["b"]);
  });
});
