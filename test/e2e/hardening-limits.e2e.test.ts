import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addAction } from "../../src/command/action-commands.js";
import { eventStoreIn } from "../../src/store/event-store.js";
import type { ExecutionRecord } from "../../src/domain/execution-record.js";
import { emptyMutations } from "../../src/runtime/index.js";
import { saveExecutions } from "../../src/store/execution-records.js";
import { clientsFor } from "../support/execution-client.js";
import { allCallers, type ManagementCaller } from "../support/management-clients.js";
import { createOrgWithToken, openServedData } from "../support/orgs.js";
import { startTestServer, type TestServer } from "../support/test-server.js";
import type { WireError } from "../support/wire-error.js";

/** More than the largest page, so that no page can be the whole list. */
const actionCount = 1500;
const executionCount = 150;
/** A script of a realistic size: an unbounded list of them is what filled the memory. */
const script = `function big(ctx, api) { ${"x".repeat(2800)} }`;
/** SQLite takes signed 64-bit offsets; these once failed as Internal. */
const hugeOffsets = [2n ** 63n - 511n, 2n ** 63n, 2n ** 64n - 1n];

let server: TestServer;
let callers: ManagementCaller[];
let auth: { authorization: string };
let token: string;

/** Writes through a second connection to the server's database, as the CLI does. */
async function seed(orgId: string): Promise<void> {
  const data = await openServedData(server);
  try {
    await data.db.transaction(async (tx) => {
      const commands = { store: eventStoreIn(tx), newId: data.commands.newId };
      for (let i = 0; i < actionCount; i++) {
        await addAction(commands, { orgId, subject: "seed" }, { name: `big_${i}`, script, timeoutNs: 0, allowedToFail: false });
      }
    });
    const startedAt = Date.now();
    const records: ExecutionRecord[] = Array.from({ length: executionCount }, (_, i) => ({
      id: `exec-${i}`,
      orgId,
      flowType: "2",
      triggerType: "5",
      startedAt: new Date(startedAt - i * 1000),
      durationMs: 1,
      aborted: false,
      runs: [],
      mutations: emptyMutations(),
    }));
    await saveExecutions(data.db, records);
  } finally {
    await data.close();
  }
}

beforeAll(async () => {
  server = await startTestServer();
  const org = await createOrgWithToken(server, ["ORG_OWNER"], "many actions");
  await seed(org.orgId);
  token = org.token;
  auth = { authorization: `Bearer ${token}` };
  callers = allCallers(server.baseUrl, server.target);
});

afterAll(async () => {
  for (const c of callers) c.close();
  await server.close();
});

const fail = (p: Promise<unknown>) => p.then(() => undefined, (e: WireError) => e);

describe("ListActions is bounded, on every protocol", () => {
  it("answers limit 0 with ZITADEL's default page of 100, and the total of all", async () => {
    for (const c of callers) {
      for (const query of [undefined, { limit: 0 }]) {
        const res = await c.call("listActions", { query }, auth);
        expect(res.result, c.protocol).toHaveLength(100);
        expect(res.details?.totalResult, c.protocol).toBe(BigInt(actionCount));
      }
    }
  });

  it("gives up to ZITADEL's maximum of 1000 on request, and pages on from an offset", async () => {
    for (const c of callers) {
      expect((await c.call("listActions", { query: { limit: 1000 } }, auth)).result, c.protocol).toHaveLength(1000);
      const rest = await c.call("listActions", { query: { limit: 1000, offset: 1000n } }, auth);
      expect(rest.result, c.protocol).toHaveLength(actionCount - 1000);
    }
  });

  it("refuses a limit above the maximum as ZITADEL does: InvalidArgument QUERY-4M0fs", async () => {
    for (const c of callers) {
      const refused = await fail(c.call("listActions", { query: { limit: 1001 } }, auth));
      expect(refused, c.protocol).toMatchObject({ code: 3, message: "Limit exceeded (QUERY-4M0fs)", detailIds: ["QUERY-4M0fs"] });
      if (c.protocol === "rest") expect(refused).toMatchObject({ httpStatus: 400 });
    }
  });

  it("keeps a REST answer to a list without limit small", async () => {
    const res = await fetch(`${server.baseUrl}/management/v1/actions/_search`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({ query: { limit: 0 } }),
    });
    const bytes = (await res.arrayBuffer()).byteLength;
    // 100 actions of about 3 KB; all 1500 would be about 4.6 MB.
    expect(bytes).toBeGreaterThan(100 * script.length);
    expect(bytes).toBeLessThan(2 * 100 * script.length);
  });

  it("answers an offset past any row count with an empty page, never Internal", async () => {
    for (const c of callers) {
      for (const offset of hugeOffsets) {
        const res = await c.call("listActions", { query: { offset, limit: 1 } }, auth);
        expect(res.result, `${c.protocol} ${offset}`).toEqual([]);
        expect(res.details?.totalResult).toBe(BigInt(actionCount));
      }
    }
  });

  it("refuses more than 100 queries as InvalidArgument, never Internal", async () => {
    const queries = (n: number) => Array.from({ length: n }, (_, i) => ({ query: { case: "actionIdQuery" as const, value: { id: `${i}` } } }));
    for (const c of callers) {
      expect((await c.call("listActions", { queries: queries(100) }, auth)).result, c.protocol).toEqual([]);
      const refused = await fail(c.call("listActions", { queries: queries(2000) }, auth));
      expect(refused, c.protocol).toMatchObject({ code: 3, detailIds: ["QUERY-too-many-queries"] });
    }
  });
});

describe("ListExecutions is bounded", () => {
  it("answers limit 0 with the default page of 100 and refuses more than 1000, over gRPC and REST", async () => {
    const { execution } = clientsFor(server.baseUrl, token);
    const page = await execution.listExecutions({});
    expect(page.result).toHaveLength(100);
    expect(page.totalResult).toBe(BigInt(executionCount));
    await expect(execution.listExecutions({ limit: 1001 })).rejects.toMatchObject({ code: 3 });

    const rest = await fetch(`${server.baseUrl}/v1/executions?limit=0`, { headers: auth });
    expect(((await rest.json()) as { result: unknown[] }).result).toHaveLength(100);
    expect((await fetch(`${server.baseUrl}/v1/executions?limit=1001`, { headers: auth })).status).toBe(400);
  });

  it("answers an offset past any row count with an empty page, never Internal, over gRPC and REST", async () => {
    const { execution } = clientsFor(server.baseUrl, token);
    for (const offset of hugeOffsets) {
      const res = await execution.listExecutions({ offset, limit: 1 });
      expect(res.result).toEqual([]);
      expect(res.totalResult).toBe(BigInt(executionCount));
      const rest = await fetch(`${server.baseUrl}/v1/executions?offset=${offset}`, { headers: auth });
      expect(rest.status).toBe(200);
    }
  });
});
