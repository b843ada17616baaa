import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Outcome } from "../../gen/actiond/v1/execution_pb.js";
import { clientsFor } from "../support/execution-client.js";
import { createOrgWithToken } from "../support/orgs.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

let server: TestServer;
let owner: { orgId: string; token: string };
let c: ReturnType<typeof clientsFor>;

beforeAll(async () => {
  server = await startTestServer();
  owner = await createOrgWithToken(server, ["ORG_OWNER"], "replayers");
  c = clientsFor(server.baseUrl, owner.token);
});
afterAll(() => server.close());

const code = (p: Promise<unknown>) => p.then(() => "ok", (e: unknown) => Code[ConnectError.from(e).code]);

/** Fails unless the user has an email: the bug a replay is for. */
const buggy = `function greet(ctx, api) { api.v1.claims.setClaim("domain", ctx.v1.getUser().human.email.split("@")[1]); }`;
const fixed = `function greet(ctx, api) {
  var human = ctx.v1.getUser().human;
  api.v1.claims.setClaim("domain", human && human.email ? human.email.split("@")[1] : "none");
}`;

describe("TestAction with execution_id (replay)", () => {
  it("reproduces a failed run on its recorded context, then succeeds with the fixed script", async () => {
    const { id } = await c.management.createAction({ name: "greet", script: buggy });
    await c.management.setTriggerActions({ flowType: "2", triggerType: "5", actionIds: [id] });
    const context = { user: { id: "u1", username: "machine-user", machine: { name: "bot", description: "" } } };
    const { execution: failed } = await c.execution.runTrigger({ flowType: "2", triggerType: "5", context });
    expect(failed!.runs[0]!.outcome).toBe(Outcome.FAILED);

    const replayed = await c.execution.testAction({ name: "greet", script: buggy, executionId: failed!.id });
    expect(replayed.execution!.runs[0]!.outcome).toBe(Outcome.FAILED);
    expect(replayed.execution!.runs[0]!.error?.message).toBe(failed!.runs[0]!.error?.message);
    expect([replayed.execution!.flowType, replayed.execution!.triggerType]).toEqual(["2", "5"]);

    const repaired = await c.execution.testAction({ name: "greet", script: fixed, executionId: failed!.id, flowType: "2", triggerType: "5" });
    expect(repaired.execution!.runs[0]!.outcome).toBe(Outcome.SUCCEEDED);
    expect(repaired.execution!.mutations?.claims?.domain).toBe("none");

    // Over REST too.
    const res = await fetch(`${server.baseUrl}/v1/actions/_test`, {
      method: "POST",
      headers: { authorization: `Bearer ${owner.token}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "greet", script: fixed, executionId: failed!.id }),
    });
    const body = (await res.json()) as { execution: { runs: { outcome: string }[] } };
    expect([res.status, body.execution.runs[0]!.outcome]).toEqual([200, "OUTCOME_SUCCEEDED"]);
  });

  it("refuses a context with execution_id, another trigger, an unknown or another org's execution, and a missing trigger without one", async () => {
    const { execution } = await c.execution.runTrigger({ flowType: "2", triggerType: "4", context: {} });
    const draft = { name: "d", script: "function d() {}" };
    expect(await code(c.execution.testAction({ ...draft, executionId: execution!.id, context: {} }))).toBe("InvalidArgument");
    expect(await code(c.execution.testAction({ ...draft, executionId: execution!.id, flowType: "2", triggerType: "5" }))).toBe("InvalidArgument");
    expect(await code(c.execution.testAction({ ...draft, executionId: "404" }))).toBe("NotFound");
    const stranger = clientsFor(server.baseUrl, (await createOrgWithToken(server, ["ORG_OWNER"], "strangers")).token);
    expect(await code(stranger.execution.testAction({ ...draft, executionId: execution!.id }))).toBe("NotFound");
    expect(await code(c.execution.testAction(draft))).toBe("InvalidArgument");
  });
});
