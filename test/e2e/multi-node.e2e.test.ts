import fs from "node:fs";
import path from "node:path";
import { Code, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import type { Flow } from "../../gen/zitadel/action/v1/action_pb.js";
import { Health, HealthCheckResponse_ServingStatus as ServingStatus } from "../../gen/grpc/health/v1/health_pb.js";
import { runCli } from "../../src/cli/run-cli.js";
import { migrations } from "../../src/store/postgres/migrations.js";
import { checkProjections } from "../../src/store/projection-check.js";
import { sqlNowMs } from "../../src/store/sql.js";
import { startChildServer, useChildServers } from "../support/child-server.js";
import { clientsFor } from "../support/execution-client.js";
import { type NodeGroup, settle, startNodeGroup, withPostgres } from "../support/node-group.js";
import { createOrgWithToken } from "../support/orgs.js";
import { adminQuery } from "../support/postgres-cluster.js";
import { createTestDatabase, type TestDatabase, testEngine } from "../support/test-database.js";

const onPostgres = testEngine() === "postgres";
const bootstrapLog = "created the default org and an admin token";
/** ZITADEL's ids (src/domain/action-errors.ts, flow-errors.ts, store/store-errors.ts). */
const nameTaken = "V3-DKcYh";
const actionIdsNotExist = "COMMAND-dg422";
const contended = "STORE-contended";

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
/** The Sonyflake machine id in an id's low 16 bits (src/store/id-generator.ts). */
const machineOf = (id: string) => Number(BigInt(id) & 0xffffn);
const triggerIds = (flow: Flow | undefined, triggerType: string) =>
  flow?.triggerActions.find((t) => t.triggerType?.id === triggerType)?.actions.map((a) => a.id) ?? [];

describe.runIf(onPostgres)("three nodes on one PostgreSQL database", () => {
  let database: TestDatabase;
  let url: string;
  let group: NodeGroup;

  // Started together on an empty database, as a deployment rolls out; the first test checks how that went.
  beforeAll(async () => {
    database = await createTestDatabase();
    url = database.url!;
    group = await startNodeGroup(3, url, "actiond-multi-");
  }, 120_000);
  afterAll(async () => {
    await group?.close();
    await database?.drop();
  });

  /** A fresh org for one test, so the tests' flows and names never meet; its token's clients, one per node. */
  async function orgOnEveryNode(name: string) {
    const { orgId, token } = await createOrgWithToken({ dataDir: group.nodes[0]!.dataDir, database: url }, ["ORG_OWNER"], name);
    return { orgId, clients: group.nodes.map((n) => clientsFor(n.baseUrl, token)) };
  }

  it("migrates once and bootstraps once when the nodes start together, and then every node serves", async () => {
    const { nodes } = group;
    expect(await adminQuery(url, "SELECT version FROM actiond_schema")).toEqual([{ version: migrations.length }]);
    expect(await adminQuery(url, "SELECT name FROM orgs WHERE name = 'default'")).toEqual([{ name: "default" }]);
    expect(await adminQuery(url, "SELECT subject FROM tokens WHERE subject = 'admin'")).toEqual([{ subject: "admin" }]);

    const bootstrapped = nodes.filter((n) => n.logs.some((l) => l.msg === bootstrapLog)).map((n) => n.dataDir);
    const withToken = nodes.filter((n) => fs.existsSync(path.join(n.dataDir, "admin.token"))).map((n) => n.dataDir);
    expect(bootstrapped).toHaveLength(1);
    expect(withToken).toEqual(bootstrapped);

    const token = fs.readFileSync(path.join(withToken[0]!, "admin.token"), "utf8").trim();
    for (const node of nodes) {
      const health = createClient(Health, createGrpcTransport({ baseUrl: node.baseUrl }));
      expect((await health.check({})).status).toBe(ServingStatus.SERVING);
      expect((await clientsFor(node.baseUrl, token).management.listActions({})).result).toEqual([]);
    }
  });

  it("reads a write acknowledged by one node on the next call to another", async () => {
    const { clients } = await orgOnEveryNode("read-your-writes");
    let id = "";
    for (let i = 0; i < 30; i++) {
      const writer = clients[i % clients.length]!.management;
      const reader = clients[(i + 1) % clients.length]!.management;
      const [name, script] = [`rw${i}`, `function rw${i}() { return ${i} }`];
      const written = i % 3 === 0 ? await writer.createAction({ name, script }) : await writer.updateAction({ id, name, script });
      if ("id" in written) id = written.id;
      const { action } = await reader.getAction({ id });
      expect(action).toMatchObject({ id, name, script, details: { sequence: written.details!.sequence } });
    }
  });

  it("lets exactly one of two nodes creating the same name at once win; the other answers AlreadyExists", async () => {
    const { orgId, clients } = await orgOnEveryNode("same-names");
    const names = range(0, 9).map((r) => `taken${r}`);
    for (const [round, name] of names.entries()) {
      const racers = [clients[round % 3]!, clients[(round + 1) % 3]!];
      const results = await Promise.all(
        racers.map((c, k) => settle(c.management.createAction({ name, script: `function ${name}() { return ${k} }` }))),
      );
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => !r.ok)).toEqual([expect.objectContaining({ code: Code.AlreadyExists, detailIds: [nameTaken] })]);
    }
    const stored = await withPostgres(url, (db) =>
      db.all<{ name: string }>("SELECT name FROM actions WHERE resource_owner = ? ORDER BY name", [orgId]),
    );
    expect(stored.map((r) => r.name)).toEqual([...names].sort());
  });

  describe("loses no update", () => {
    it("when 20 updates of one action arrive at once, spread over the nodes", async () => {
      const { clients } = await orgOnEveryNode("no-lost-update");
      const { id } = await clients[0]!.management.createAction({ name: "contended", script: "function contended() {}" });
      const scripts = range(1, 20).map((k) => `function contended() { return ${k} }`);
      const results = await Promise.all(
        scripts.map((script, k) => settle(clients[k % 3]!.management.updateAction({ id, name: "contended", script }))),
      );
      const failed = results.filter((r) => !r.ok);
      // Contention past the retries is allowed to refuse a few, and only as Aborted.
      expect(failed).toEqual(failed.map(() => expect.objectContaining({ code: Code.Aborted, detailIds: [contended] })));
      expect(failed.length).toBeLessThanOrEqual(4);

      const acknowledged = results.flatMap((r, k) => (r.ok ? [{ script: scripts[k]!, sequence: Number(r.value.details!.sequence) }] : []));
      const last = acknowledged.length + 1;
      const { events, row } = await withPostgres(url, async (db) => ({
        events: await db.all<{ sequence: number; payload: string }>(
          "SELECT sequence, payload FROM events WHERE aggregate_type = 'action' AND aggregate_id = ? ORDER BY position",
          [id],
        ),
        row: await db.get("SELECT script, sequence FROM actions WHERE id = ?", [id]),
      }));
      // One event per acknowledged update, each at the sequence its answer gave, none lost, none twice.
      expect(events.map((e) => e.sequence)).toEqual(range(1, last));
      expect(acknowledged.map((a) => a.sequence).sort((a, b) => a - b)).toEqual(range(2, last));
      for (const a of acknowledged) expect(JSON.parse(events[a.sequence - 1]!.payload).script).toBe(a.script);
      const lastScript = JSON.parse(events.at(-1)!.payload).script as string;
      expect(row).toEqual({ script: lastScript, sequence: last });
      for (const c of clients) expect((await c.management.getAction({ id })).action).toMatchObject({ script: lastScript });
    });

    it("when two nodes set one trigger's actions at once: both apply, one after the other", async () => {
      const { clients } = await orgOnEveryNode("concurrent-triggers");
      const ids: string[] = [];
      for (const name of ["first", "second", "third"]) {
        ids.push((await clients[0]!.management.createAction({ name, script: `function ${name}() {}` })).id);
      }
      for (let round = 0; round < 6; round++) {
        const [x, y] = [ids[round % 3]!, ids[(round + 1) % 3]!];
        const lists = [[x, y], [y, x]];
        const answers = await Promise.all(
          lists.map((actionIds, k) =>
            clients[(round + k) % 3]!.management.setTriggerActions({ flowType: "1", triggerType: "1", actionIds }),
          ),
        );
        const [a, b] = answers.map((r) => r.details!.sequence);
        expect(a).not.toBe(b);
        const { flow } = await clients[(round + 2) % 3]!.management.getFlow({ type: "1" });
        expect(triggerIds(flow, "1")).toEqual(a! > b! ? lists[0] : lists[1]);
      }
    });

    it("when an action is deleted on one node while another binds it to a trigger", async () => {
      const { orgId, clients } = await orgOnEveryNode("delete-vs-bind");
      const { id: keeper } = await clients[0]!.management.createAction({ name: "keeper", script: "function keeper() {}" });
      const bound: string[] = [];
      for (let round = 0; round < 10; round++) {
        const creator = clients[round % 3]!.management;
        const { id: doomed } = await creator.createAction({ name: `doomed${round}`, script: "function doomed() {}" });
        const [deleted, set] = await Promise.all([
          settle(creator.deleteAction({ id: doomed })),
          settle(clients[(round + 1) % 3]!.management.setTriggerActions({ flowType: "1", triggerType: "2", actionIds: [keeper, doomed] })),
        ]);
        expect(deleted.ok).toBe(true);
        // Bound first, then deleted with its cascade; or deleted first, and the binding refused.
        if (set.ok) bound.push(doomed);
        else expect(set).toMatchObject({ code: Code.FailedPrecondition, detailIds: [actionIdsNotExist] });
        for (const c of clients) expect([[], [keeper]]).toContainEqual(triggerIds((await c.management.getFlow({ type: "1" })).flow, "2"));
      }

      const { orphans, cascaded, report } = await withPostgres(url, async (db) => ({
        orphans: await db.all(
          "SELECT t.action_id FROM flow_triggers t LEFT JOIN actions a ON a.id = t.action_id WHERE a.id IS NULL AND t.resource_owner = ?",
          [orgId],
        ),
        cascaded: await db.all<{ payload: string }>(
          "SELECT payload FROM events WHERE aggregate_type = 'org' AND aggregate_id = ? AND type = ?",
          [orgId, "org.flow.trigger_actions.cascade.removed"],
        ),
        report: await checkProjections(db),
      }));
      expect(orphans).toEqual([]);
      // Every binding that won was undone by its action's deletion, in the deletion's own transaction.
      expect(cascaded.map((e) => JSON.parse(e.payload).actionId).sort()).toEqual([...bound].sort());
      expect(report.differences).toEqual([]);
    });
  });

  it("refuses a token revoked through one node's CLI on every node, from the next call on", async () => {
    const { orgId } = await orgOnEveryNode("revocation");
    const [first, second] = group.nodes;
    const cli = async (...argv: string[]) => {
      const out = { code: 0, stdout: "", stderr: "" };
      out.code = await runCli(argv, { stdout: (t) => void (out.stdout += t), stderr: (t) => void (out.stderr += t), env: {} });
      return out;
    };
    const on = (dir: string) => ["--data-dir", dir, "--database", url];

    const created = await cli("token", "create", "--org", orgId, "--role", "ORG_OWNER", "--subject", "revoke-me", ...on(second!.dataDir));
    expect(created).toMatchObject({ code: 0 });
    const secret = created.stdout.trim();
    const listed = await cli("token", "list", ...on(second!.dataDir));
    const id = listed.stdout.split("\n").find((line) => line.split(/\s+/)[1] === "revoke-me")?.split(/\s+/)[0];
    expect(id).toMatch(/^\d+$/);
    const callers = group.nodes.map((n) => clientsFor(n.baseUrl, secret).management);
    for (const c of callers) await c.listActions({});

    expect(await cli("token", "revoke", id!, ...on(first!.dataDir))).toMatchObject({ code: 0 });
    for (const c of callers) expect(await settle(c.listActions({}))).toMatchObject({ ok: false, code: Code.Unauthenticated });
  });

  it("mints ids unique across nodes: each node under a machine id of its own, leased in machine_leases", async () => {
    const { clients } = await orgOnEveryNode("ids");
    const created = await Promise.all(
      range(0, 149).map(async (k) => {
        const { id } = await clients[k % 3]!.management.createAction({ name: `many${k}`, script: `function many${k}() {}` });
        return { node: k % 3, id };
      }),
    );
    expect(new Set(created.map((c) => c.id)).size).toBe(150);
    const machinesOf = (node: number) => [...new Set(created.filter((c) => c.node === node).map((c) => machineOf(c.id)))];
    const machines = [0, 1, 2].map(machinesOf);
    expect(machines.map((m) => m.length)).toEqual([1, 1, 1]);
    expect(new Set(machines.flat()).size).toBe(3);

    // Live leases: the three nodes', one holder each; the CLI-like openings above gave theirs back.
    const leases = await adminQuery<{ machine_id: number; holder: string }>(
      url,
      `SELECT machine_id, holder FROM machine_leases WHERE expires_at > ${sqlNowMs.postgres}`,
    );
    expect(leases.map((l) => l.machine_id).sort()).toEqual(machines.flat().sort());
    expect(new Set(leases.map((l) => l.holder)).size).toBe(3);
  });

  it("shows an execution run on one node in ListExecutions on another", async () => {
    const { clients } = await orgOnEveryNode("executions");
    const [a, b] = clients;
    const script = `function stamp(ctx, api) { api.v1.claims.setClaim("stamped", true) }`;
    const { id } = await a!.management.createAction({ name: "stamp", script });
    await a!.management.setTriggerActions({ flowType: "2", triggerType: "5", actionIds: [id] });
    const { execution } = await a!.execution.runTrigger({ flowType: "2", triggerType: "5", context: {} });
    expect(execution?.mutations?.claims).toEqual({ stamped: true });

    // Records are written just behind the answer, and a read flushes only its own node's queue.
    await expect
      .poll(async () => (await b!.execution.listExecutions({ actionId: id })).result.map((e) => e.id), { timeout: 15_000, interval: 200 })
      .toEqual([execution!.id]);
    expect((await b!.execution.getExecution({ id: execution!.id })).execution?.runs.map((r) => r.actionId)).toEqual([id]);
  });
});

describe.runIf(onPostgres)("a node on a database a newer actiond migrated", () => {
  const { tempDir } = useChildServers("actiond-newer-");

  it("refuses to start, and says why", async () => {
    const database = await createTestDatabase();
    onTestFinished(() => database.drop());
    await adminQuery(database.url!, "CREATE TABLE actiond_schema (version INTEGER NOT NULL); INSERT INTO actiond_schema VALUES (999)");

    const started = startChildServer(tempDir(), [], { database: database.url });
    await expect(started).rejects.toThrow(/server exited with [1-9]\d* before listening/);
    await expect(started).rejects.toThrow(/schema version 999 is newer than this actiond/);
    // It wrote nothing: an older node must not touch a schema it does not know.
    const left = await adminQuery(database.url!, "SELECT version, to_regclass('events') AS events FROM actiond_schema");
    expect(left).toEqual([{ version: 999, events: null }]);
  });
});
