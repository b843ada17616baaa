import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { useChildServers } from "../support/child-server.js";
import { clientsFor } from "../support/execution-client.js";
import { createOrgWithToken } from "../support/orgs.js";

const { tempDir, start } = useChildServers("actiond-secrets-");

/** The raw value in any file of the data dir (on SQLite: the database and its -wal); the key file is random bytes. */
function filesHolding(dir: string, value: string): string[] {
  const needle = Buffer.from(value, "utf8");
  return fs
    .readdirSync(dir, { recursive: true, encoding: "utf8" })
    .map((f) => path.join(dir, f))
    .filter((f) => fs.statSync(f).isFile() && fs.readFileSync(f).includes(needle));
}

describe("secrets in the built server", () => {
  it("never writes a value to its log or its data files, while running and after a graceful stop", { timeout: 60_000 }, async () => {
    const dir = tempDir();
    const server = await start(dir, ["--log-level", "debug"]);
    const org = await createOrgWithToken({ dataDir: dir, database: server.database }, ["ORG_OWNER"], "process org");
    const value = `process-${crypto.randomBytes(12).toString("base64url")}`;
    const put = await fetch(`${server.baseUrl}/v1/secrets/API_KEY`, {
      method: "PUT",
      headers: { authorization: `Bearer ${org.token}`, "content-type": "application/json" },
      body: JSON.stringify({ value }),
    });
    expect(put.status).toBe(200);

    const c = clientsFor(server.baseUrl, org.token);
    const { id: leak } = await c.management.createAction({
      name: "leak",
      script: `function leak(ctx, api) {
        var v = require("actiond/secrets").get("API_KEY");
        console.log("v=" + v); api.v1.claims.setClaim("v", v); api.v1.claims.appendLogIntoClaims(v);
      }`,
    });
    const { id: fail } = await c.management.createAction({
      name: "fail",
      script: `function fail(ctx, api) { throw new Error(require("actiond/secrets").get("API_KEY")); }`,
      allowedToFail: true,
    });
    await c.management.setTriggerActions({ flowType: "2", triggerType: "5", actionIds: [leak, fail] });
    const { execution } = await c.execution.runTrigger({ flowType: "2", triggerType: "5", context: {} });
    // Delivered to the caller as the script set it, so the check below is not vacuous.
    expect(execution!.mutations?.claims?.v).toBe(value);
    await c.execution.listExecutions({});

    expect(filesHolding(dir, value)).toEqual([]);
    expect(JSON.stringify(server.logs)).not.toContain(value);
    server.child.kill("SIGTERM");
    expect((await server.exited).code).toBe(0);
    expect(filesHolding(dir, value)).toEqual([]);
    expect(JSON.stringify(server.logs)).not.toContain(value);
  });
});
