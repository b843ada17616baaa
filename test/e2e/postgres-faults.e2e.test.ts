import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { Code, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { Health, HealthCheckResponse_ServingStatus as ServingStatus } from "../../gen/grpc/health/v1/health_pb.js";
import { checkProjections } from "../../src/store/projection-check.js";
import { clientsFor } from "../support/execution-client.js";
import { type NodeGroup, settle, startNodeGroup, withPostgres } from "../support/node-group.js";
import { adminQuery, type PostgresCluster, startPostgresCluster } from "../support/postgres-cluster.js";
import { testEngine } from "../support/test-database.js";

/** A call a client gave up on waiting for: none of these should hang, but none may hang the test either. */
const callTimeout = { timeoutMs: 20_000 };

// A cluster of its own: stopping the run's shared one would fail every other file running beside this one.
describe.runIf(testEngine() === "postgres")("PostgreSQL faults", () => {
  let cluster: PostgresCluster;
  beforeAll(async () => {
    cluster = await startPostgresCluster();
  }, 120_000);
  afterAll(() => cluster?.stop());

  /** A fresh database on this file's cluster and `count` nodes serving it, all gone after the test. */
  async function nodesOnFreshDatabase(count: number): Promise<NodeGroup & { url: string; token: string }> {
    const name = `t_${crypto.randomBytes(8).toString("hex")}`;
    await adminQuery(cluster.url, `CREATE DATABASE ${name}`);
    const url = new URL(cluster.url);
    url.pathname = `/${name}`;
    const group = await startNodeGroup(count, url.toString(), "actiond-faults-");
    onTestFinished(() => group.close());
    const bootstrapped = group.nodes.find((n) => fs.existsSync(path.join(n.dataDir, "admin.token")))!;
    const token = fs.readFileSync(path.join(bootstrapped.dataDir, "admin.token"), "utf8").trim();
    return { ...group, url: url.toString(), token };
  }

  it("loses no acknowledged write when a node is killed -9 in a write burst", async () => {
    const { nodes, url, token } = await nodesOnFreshDatabase(2);
    const [a, b] = nodes.map((n) => clientsFor(n.baseUrl, token).management);
    const total = 200;
    const acknowledged: { id: string; name: string }[] = [];
    let next = 0;
    // 16 callers in flight; the 50th answer kills the node under the other writes.
    const caller = async () => {
      while (next < total) {
        const name = `burst${next++}`;
        const r = await settle(a!.createAction({ name, script: `function ${name}() {}` }, callTimeout));
        if (!r.ok) continue;
        acknowledged.push({ id: r.value.id, name });
        if (acknowledged.length === 50) nodes[0]!.child.kill("SIGKILL");
      }
    };
    await Promise.all(Array.from({ length: 16 }, caller));
    expect((await nodes[0]!.exited).signal).toBe("SIGKILL");
    expect(acknowledged.length).toBeGreaterThanOrEqual(50);
    expect(acknowledged.length).toBeLessThan(total);

    for (const { id, name } of acknowledged) expect((await b!.getAction({ id })).action?.name).toBe(name);
    const report = await withPostgres(url, checkProjections);
    expect(report.differences).toEqual([]);
    // The survivor still writes.
    await b!.createAction({ name: "after", script: "function after() {}" });
  }, 120_000);

  it("answers Unavailable and NOT_SERVING while PostgreSQL restarts, and serves again once it is back", async () => {
    const { nodes, token } = await nodesOnFreshDatabase(1);
    const node = nodes[0]!;
    const c = clientsFor(node.baseUrl, token).management;
    const health = createClient(Health, createGrpcTransport({ baseUrl: node.baseUrl }));
    const status = async () => (await health.check({}, callTimeout)).status;
    // The HTTP readiness probe reads the same status (docs/observability.md, Health).
    const ready = async () => (await fetch(`${node.baseUrl}/readyz`)).status;
    const { id } = await c.createAction({ name: "steady", script: "function steady() {}" });

    // Each call is stamped with when it started and ended, against the outage's edges.
    let clock = 0;
    const outcomes: { started: number; ended: number; code: Code | "ok"; detailIds: string[]; created?: string }[] = [];
    let running = true;
    const load = (async () => {
      for (let i = 0; running; i++) {
        const started = clock++;
        const call =
          i % 2
            ? c.getAction({ id }, callTimeout).then(() => undefined)
            : c.createAction({ name: `load${i}`, script: "function load() {}" }, callTimeout).then((r) => r.id);
        const r = await settle(call);
        const created = r.ok ? r.value : undefined;
        outcomes.push({ started, ended: clock++, code: r.ok ? "ok" : r.code, detailIds: r.ok ? [] : r.detailIds, created });
        await sleep(50);
      }
    })();
    const succeeded = () => outcomes.filter((o) => o.code === "ok").length;
    try {
      await expect.poll(succeeded, { timeout: 15_000 }).toBeGreaterThanOrEqual(5);

      await cluster.stopServer("fast");
      const downFrom = clock++;
      await expect.poll(status, { timeout: 15_000, interval: 250 }).toBe(ServingStatus.NOT_SERVING);
      expect(await ready()).toBe(503);
      await expect.poll(() => outcomes.filter((o) => o.started > downFrom).length, { timeout: 15_000 }).toBeGreaterThanOrEqual(5);
      const downUntil = clock++;
      await cluster.startServer();

      await expect.poll(status, { timeout: 30_000, interval: 250 }).toBe(ServingStatus.SERVING);
      expect(await ready()).toBe(200);
      const back = succeeded();
      await expect.poll(succeeded, { timeout: 30_000 }).toBeGreaterThanOrEqual(back + 5);

      const whileDown = outcomes.filter((o) => o.started > downFrom && o.ended < downUntil);
      expect(whileDown.length).toBeGreaterThanOrEqual(5);
      expect(whileDown).toEqual(whileDown.map(() => expect.objectContaining({ code: Code.Unavailable, detailIds: ["STORE-unavailable"] })));
    } finally {
      running = false;
      await load;
    }
    // Around the edges a call may have succeeded or failed, but only ever as Unavailable: never Internal.
    expect(new Set(outcomes.map((o) => o.code))).toEqual(new Set(["ok", Code.Unavailable]));
    expect(node.child.exitCode).toBeNull();
    for (const o of outcomes.filter((o) => o.created)) expect((await c.getAction({ id: o.created! })).action?.id).toBe(o.created);
  }, 120_000);
});
