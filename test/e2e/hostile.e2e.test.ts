import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Execution, Outcome } from "../../gen/actiond/v1/execution_pb.js";
import { clientsFor } from "../support/execution-client.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

/**
 * Hostile scripts through TestAction on the real server and its worker pool,
 * while another client keeps calling the API. Every script must end with the
 * right outcome and a clear message, and the server must keep answering.
 */
let server: TestServer;
let c: ReturnType<typeof clientsFor>;
let bystander: { hits: number; close: () => Promise<void>; port: number };
let traffic: { ok: number; failed: number; stop: () => Promise<void> };

function startTraffic(): typeof traffic {
  const state = { ok: 0, failed: 0, running: true };
  const loop = (async () => {
    while (state.running) {
      try {
        await c.management.listFlowTypes({});
        state.ok++;
      } catch {
        state.failed++;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  return {
    get ok() { return state.ok; },
    get failed() { return state.failed; },
    stop: async () => {
      state.running = false;
      await loop;
    },
  };
}

beforeAll(async () => {
  server = await startTestServer();
  c = clientsFor(server.baseUrl, server.adminToken);
  // A loopback server that scripts try to reach: it must never see a request.
  let hits = 0;
  const s = http.createServer((_req, res) => {
    hits++;
    res.end("{}");
  });
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  bystander = { get hits() { return hits; }, port: (s.address() as AddressInfo).port, close: () => new Promise((r) => s.close(() => r())) };
  traffic = startTraffic();
});

afterAll(async () => {
  await traffic.stop();
  await bystander.close();
  await server.close();
});

async function attempt(body: string, timeout = "10", flow = ["2", "5"]): Promise<NonNullable<Execution["runs"][number]>> {
  const [seconds, nanos] = [Math.floor(parseFloat(timeout)), Math.round((parseFloat(timeout) % 1) * 1e9)];
  const { execution } = await c.execution.testAction({
    name: "hostile",
    script: `function hostile(ctx, api) {\n${body}\n}`,
    timeout: { seconds: BigInt(seconds), nanos },
    flowType: flow[0]!,
    triggerType: flow[1]!,
  });
  return execution!.runs[0]!;
}

describe("hostile scripts", () => {
  it("endless loops end at the deadline: plain, in promises, in C builtins", async () => {
    expect(await attempt("while (true) {}", "0.3")).toMatchObject({ outcome: Outcome.TIMED_OUT });
    expect(await attempt("return (async () => { for (;;) await null; })();", "0.3")).toMatchObject({ outcome: Outcome.TIMED_OUT });
    // One sort of a million strings runs past deadline + grace inside C: the watchdog replaces the worker.
    const sort = await attempt("const a = []; for (let i = 0; i < 1e6; i++) a.push(String(Math.random())); for (;;) a.sort();", "0.2");
    expect(sort.outcome).toBe(Outcome.TIMED_OUT);
    const regex = await attempt('/(a+)+$/.test("a".repeat(40) + "b");', "0.3");
    expect(regex.outcome).toBe(Outcome.TIMED_OUT);
  });

  it("memory bombs of several shapes end as out of memory", async () => {
    for (const bomb of [
      "const a = []; for (;;) a.push(new Array(1000).fill(1));",
      'let s = "x"; for (;;) s += s;',
      "const o = {}; for (let i = 0; ; i++) o['k' + i] = { i };",
      "const m = new Map(); for (let i = 0; ; i++) m.set(i, [i, i, i]);",
    ]) {
      expect((await attempt(bomb, "10")).outcome, bomb).toBe(Outcome.OUT_OF_MEMORY);
    }
  });

  it("deep recursion fails with a clear message", async () => {
    const run = await attempt("function r(n) { return r(n + 1) + 1; } r(0);");
    expect(run.outcome).toBe(Outcome.FAILED);
    expect(run.error?.message).toMatch(/stack/i);
  });

  it("huge logs are capped and huge values refused", async () => {
    // 2,000 lines of 1 KB are 20 times the entry cap and 30 times the byte cap
    // (runtime/limits.ts); the cap is under test, not speed, so the runs get
    // the longest timeout an action may have and finish well inside it even
    // on a busy machine.
    const logs = await attempt('for (let i = 0; i < 2000; i++) console.log("x".repeat(1000));', "20");
    expect(logs.outcome).toBe(Outcome.SUCCEEDED);
    expect(logs.logs.length).toBeLessThan(1000);
    expect(logs.logs.map((l) => l.message).join("").length).toBeLessThan(1024 * 1024);
    const big = await attempt('api.v1.claims.setClaim("big", "x".repeat(5e6));', "20");
    expect(big.outcome).toBe(Outcome.FAILED);
    expect(big.error?.message).toMatch(/large|size|bytes/i);
    const bigReturn = await attempt('return "x".repeat(5e6);', "20");
    expect(bigReturn.outcome).not.toBe(Outcome.OUT_OF_MEMORY);
  });

  it("prototype tricks on returned values change nothing in the host", async () => {
    const { execution } = await c.execution.testAction({
      name: "proto",
      script: `function proto(ctx, api) {
        api.v1.claims.setClaim("__proto__", { polluted: true });
        api.v1.claims.setClaim("constructor", { prototype: { polluted: true } });
        Object.prototype.polluted = true;
      }`,
      flowType: "2",
      triggerType: "5",
    });
    expect(execution?.runs[0]?.outcome).not.toBe(Outcome.OUT_OF_MEMORY);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const after = await attempt('api.v1.claims.setClaim("clean", ({}).polluted === undefined)');
    expect(after.outcome).toBe(Outcome.SUCCEEDED);
  });

  it("cannot reach require, process, the filesystem or host objects", async () => {
    const fs = await attempt('require("fs")');
    expect(fs.outcome).toBe(Outcome.FAILED);
    expect(fs.error?.message).toMatch(/fs/);
    expect(fs.error?.message).toMatch(/zitadel\/http/);
    for (const probe of [
      "process.exit(1)",
      'globalThis.constructor.constructor("return process")().exit(1)',
      "new Uint8Array(8)",
      "new Proxy({}, {})",
      "WebAssembly.compile",
      "new SharedArrayBuffer(8)",
      'require("./secrets.js")',
    ]) {
      expect((await attempt(probe)).outcome, probe).toBe(Outcome.FAILED);
    }
  });

  it("fetch refuses every loopback form, end to end, without sending anything", async () => {
    const p = bystander.port;
    for (const host of ["127.0.0.1", "localhost", "[::1]", "127.1", "0x7f000001", "2130706433", "[::ffff:127.0.0.1]", "0.0.0.0"]) {
      const run = await attempt(`require("zitadel/http").fetch("http://${host}:${p}/")`);
      expect(run.outcome, host).toBe(Outcome.FAILED);
      expect(run.error?.message, host).toMatch(/denied|refused/i);
    }
    expect(bystander.hits).toBe(0);
  });

  it("through RunTrigger too: a spinning action times out and the next one still runs", async () => {
    const spin = await c.management.createAction({ name: "spin", script: "function spin() { for (;;) {} }", timeout: { seconds: 1n }, allowedToFail: true });
    const next = await c.management.createAction({ name: "next", script: 'function next(ctx, api) { api.v1.claims.setClaim("next", true) }' });
    await c.management.setTriggerActions({ flowType: "2", triggerType: "4", actionIds: [spin.id, next.id] });
    const { execution } = await c.execution.runTrigger({ flowType: "2", triggerType: "4", context: {} });
    expect(execution?.runs.map((r) => r.outcome)).toEqual([Outcome.TIMED_OUT, Outcome.SUCCEEDED]);
    expect(execution?.aborted).toBe(false);
    expect(execution?.mutations?.claims).toEqual({ next: true });
  });

  it("leaves the pool working and the API answering throughout", async () => {
    expect((await attempt('api.v1.claims.setClaim("alive", true)')).outcome).toBe(Outcome.SUCCEEDED);
    expect(traffic.failed).toBe(0);
    expect(traffic.ok).toBeGreaterThan(0);
  });
});
