import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Code, type Client, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SecretService } from "../../gen/actiond/v1/secret_pb.js";
import { serverLockFile } from "../../src/data-dir.js";
import { secretValueBinding } from "../../src/domain/secret.js";
import { loadSecretBox } from "../../src/store/live-secret-box.js";
import { createSecretBox } from "../../src/store/secret-box.js";
import { secretsKeyFileName } from "../../src/store/secrets-key-file.js";
import { clientsFor } from "../support/execution-client.js";
import { headerInterceptor, wireErrorFromConnect } from "../support/management-clients.js";
import { runCli } from "../../src/cli/run-cli.js";
import { createOrgWithToken, issueToken, openServedData, servedDataArgs } from "../support/orgs.js";
import { startTestServer, type TestServer } from "../support/test-server.js";
import { callFailure as failure, restJson } from "../support/rest-json.js";

let server: TestServer;
let owner: { orgId: string; token: string };
let viewerToken: string;
let other: { orgId: string; token: string };

/** Every value any test gives the server: none may come back in an answer, a log line or the database, except where a script sets it as a claim. */
const values: string[] = [];
const newValue = (label: string) => {
  const value = `${label}-${crypto.randomBytes(9).toString("base64url")}-sk`;
  values.push(value);
  return value;
};

beforeAll(async () => {
  server = await startTestServer();
  owner = await createOrgWithToken(server, ["ORG_OWNER"], "secret keepers");
  other = await createOrgWithToken(server, ["ORG_OWNER"], "someone else");
  viewerToken = await issueToken(server, owner.orgId, ["ORG_OWNER_VIEWER"], "a viewer");
});
afterAll(() => server.close());

const rest = (method: string, route: string, token: string, body?: unknown) => restJson(server.baseUrl, method, route, `Bearer ${token}`, body);

function secretsClient(token: string, orgId?: string): Client<typeof SecretService> {
  const transport = createGrpcTransport({ baseUrl: server.baseUrl, interceptors: [headerInterceptor(() => ({ authorization: `Bearer ${token}`, orgId }))] });
  return createClient(SecretService, transport);
}

/** JSON of anything an answer or a row holds, protobuf's bigints included. */
const asText = (value: unknown) => JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? String(v) : v));

/** An action of the owner's org bound alone to Pre access token creation: it reads API_KEY, logs it, logs it into a claim and sets it as a claim; a second one throws it. */
async function bindLeakyActions(c: ReturnType<typeof clientsFor>, suffix: string): Promise<void> {
  const { id: reader } = await c.management.createAction({
    name: `readKey${suffix}`,
    script: `function readKey${suffix}(ctx, api) {
      var v = require("actiond/secrets").get("API_KEY");
      console.log("the key is " + v);
      api.v1.claims.appendLogIntoClaims("logged " + v);
      api.v1.claims.setClaim("key", v === undefined ? "none" : v);
    }`,
    allowedToFail: false,
  });
  const { id: thrower } = await c.management.createAction({
    name: `throwKey${suffix}`,
    script: `function throwKey${suffix}(ctx, api) { throw new Error("failed with " + require("actiond/secrets").get("API_KEY")); }`,
    allowedToFail: true,
  });
  await c.management.setTriggerActions({ flowType: "2", triggerType: "5", actionIds: [reader, thrower] });
}

/** Every row of every table, as text: what a copy of the database holds. */
async function databaseText(): Promise<string> {
  const data = await openServedData(server);
  try {
    const tables =
      data.db.engine === "sqlite"
        ? await data.db.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")
        : await data.db.all<{ name: string }>("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()");
    const rows = await Promise.all(tables.map(({ name }) => data.db.all(`SELECT * FROM "${name}"`)));
    return asText(rows);
  } finally {
    await data.close();
  }
}

/** The data dir's files as bytes (on SQLite: the database and its -wal), each searched for the raw value. */
function filesHolding(value: string): string[] {
  const needle = Buffer.from(value, "utf8");
  return fs
    .readdirSync(server.dataDir, { recursive: true, encoding: "utf8" })
    .map((f) => path.join(server.dataDir, f))
    .filter((f) => fs.statSync(f).isFile() && fs.readFileSync(f).includes(needle));
}

describe("secrets over gRPC and REST", () => {
  it("sets, lists without values, runs with, rotates and deletes a secret; nothing stored or logged reveals a value", async () => {
    const grpc = secretsClient(owner.token);
    const c = clientsFor(server.baseUrl, owner.token);
    await bindLeakyActions(c, "A");
    const first = newValue("first");
    const second = newValue("second");

    const { secret } = await grpc.setSecret({ name: "API_KEY", value: first });
    expect(secret?.name).toBe("API_KEY");
    expect(secret?.createdBy).not.toBe("");
    expect(secret?.changedBy).toBe(secret?.createdBy);
    const put = await rest("PUT", "/v1/secrets/DB_PASSWORD", owner.token, { value: newValue("db") });
    expect(put.status).toBe(200);
    expect(put.json.secret).toMatchObject({ name: "DB_PASSWORD" });

    const listed = await grpc.listSecrets({});
    expect(listed.secrets.map((s) => s.name)).toEqual(["API_KEY", "DB_PASSWORD"]);
    const listedRest = await rest("GET", "/v1/secrets", owner.token);
    expect(listedRest.status).toBe(200);
    expect(listedRest.json.secrets.map((s: { name: string }) => s.name)).toEqual(["API_KEY", "DB_PASSWORD"]);
    expect(Object.keys(listedRest.json.secrets[0]).sort()).toEqual(["changeDate", "changedBy", "createdBy", "creationDate", "name"]);

    const run1 = (await c.execution.runTrigger({ flowType: "2", triggerType: "5", context: {} })).execution!;
    // Delivered as the script set it; redacted wherever it was logged or thrown.
    expect(run1.mutations?.claims?.key).toBe(first);
    expect(run1.runs[0]!.logs.map((l) => l.message)).toEqual(["the key is [secret:API_KEY]"]);
    expect(run1.mutations?.claims?.["urn:zitadel:iam:action:readKeyA:log"]).toEqual(["logged [secret:API_KEY]"]);
    expect(run1.runs[1]!.error?.message).toContain("failed with [secret:API_KEY]");

    // Rotated over REST: the next run reads the new value.
    expect((await rest("PUT", "/v1/secrets/API_KEY", owner.token, { value: second })).status).toBe(200);
    const run2 = (await c.execution.runTrigger({ flowType: "2", triggerType: "5", context: {} })).execution!;
    expect(run2.mutations?.claims?.key).toBe(second);
    const [rotated] = (await grpc.listSecrets({})).secrets;
    expect(rotated!.changeDate!.seconds * 1000n + BigInt(Math.floor(rotated!.changeDate!.nanos / 1e6))).toBeGreaterThanOrEqual(
      rotated!.creationDate!.seconds * 1000n + BigInt(Math.floor(rotated!.creationDate!.nanos / 1e6)),
    );

    // TestAction reads the org's secrets too, and answers redacted logs.
    const tested = await c.execution.testAction({
      name: "draft",
      script: 'function draft(ctx, api) { console.log(require("actiond/secrets").get("API_KEY")); }',
      flowType: "2",
      triggerType: "5",
    });
    expect(tested.execution!.runs[0]!.logs.map((l) => l.message)).toEqual(["[secret:API_KEY]"]);

    // Deleted over gRPC (and REST for the other): get answers undefined from the next run on.
    await grpc.deleteSecret({ name: "API_KEY" });
    expect((await rest("DELETE", "/v1/secrets/DB_PASSWORD", owner.token)).status).toBe(200);
    expect((await grpc.listSecrets({})).secrets).toEqual([]);
    const run3 = (await c.execution.runTrigger({ flowType: "2", triggerType: "5", context: {} })).execution!;
    expect(run3.mutations?.claims?.key).toBe("none");
    expect((await failure(grpc.deleteSecret({ name: "API_KEY" }))).code).toBe(Code.NotFound);

    // Stored records are redacted throughout, the claim too.
    const stored = await c.execution.listExecutions({});
    const storedText = asText(stored.result.map((e) => e.runs.map((r) => [r.logs, r.error]).concat([e.mutations?.claims as never])));
    expect(storedText).toContain("[secret:API_KEY]");
    const everything = [asText(server.logs), await databaseText(), asText(listed), listedRest.text, put.text, storedText];
    for (const value of values) {
      for (const text of everything) expect(text, "a secret's value was revealed").not.toContain(value);
      expect(filesHolding(value), "a secret's value is in a data file").toEqual([]);
    }
  });

  it("answers each script only its own org's secrets, and refuses another org's reads", async () => {
    await secretsClient(owner.token).setSecret({ name: "ORG_A_ONLY", value: newValue("org-a") });
    const c = clientsFor(server.baseUrl, other.token);
    const tested = await c.execution.testAction({
      name: "peek",
      script: 'function peek(ctx, api) { api.v1.claims.setClaim("peek", String(require("actiond/secrets").get("ORG_A_ONLY"))); }',
      flowType: "2",
      triggerType: "5",
    });
    expect(tested.execution!.mutations?.claims?.peek).toBe("undefined");
    expect((await secretsClient(other.token).listSecrets({})).secrets).toEqual([]);
    const crossed = await failure(secretsClient(other.token, owner.orgId).listSecrets({}));
    expect([Code.NotFound, Code.PermissionDenied]).toContain(crossed.code);
    const otherRest = await rest("GET", "/v1/secrets", other.token);
    expect([otherRest.status, otherRest.json.secrets ?? []]).toEqual([200, []]);
  });

  it("lets a viewer list names but not set or delete", async () => {
    await secretsClient(owner.token).setSecret({ name: "VIEWED", value: newValue("viewed") });
    const viewer = secretsClient(viewerToken);
    expect((await viewer.listSecrets({})).secrets.map((s) => s.name)).toContain("VIEWED");
    expect((await failure(viewer.setSecret({ name: "VIEWED", value: "x" }))).code).toBe(Code.PermissionDenied);
    expect((await failure(viewer.deleteSecret({ name: "VIEWED" }))).code).toBe(Code.PermissionDenied);
    expect((await rest("PUT", "/v1/secrets/VIEWED", viewerToken, { value: "x" })).status).toBe(403);
  });

  it("grants each role exactly its secret permissions", async () => {
    const data = await openServedData(server);
    const tokens: Record<string, string> = { IAM_OWNER: server.adminToken };
    try {
      for (const role of ["ORG_OWNER", "ORG_OWNER_VIEWER", "ACTION_EXECUTOR"]) {
        tokens[role] = await data.tokens.issue({ id: data.commands.newId(), orgId: owner.orgId, subject: `a ${role}`, roles: [role] });
      }
    } finally {
      await data.close();
    }
    const outcome = (call: Promise<unknown>) => call.then(() => "ok", (e: unknown) => Code[wireErrorFromConnect(e).code]);
    const seen: Record<string, string[]> = {};
    for (const [role, token] of Object.entries(tokens)) {
      const client = secretsClient(token, owner.orgId);
      const name = `ROLE_${role}`;
      seen[role] = [
        await outcome(client.listSecrets({})),
        await outcome(client.setSecret({ name, value: newValue("role") })),
        await outcome(client.deleteSecret({ name })),
      ];
    }
    expect(seen).toEqual({
      IAM_OWNER: ["ok", "ok", "ok"],
      ORG_OWNER: ["ok", "ok", "ok"],
      ORG_OWNER_VIEWER: ["ok", "PermissionDenied", "PermissionDenied"],
      ACTION_EXECUTOR: ["PermissionDenied", "PermissionDenied", "PermissionDenied"],
    });
  });

  it("refuses bad names, values over 4 KiB and a 101st secret, with clear errors", async () => {
    const org = await createOrgWithToken(server, ["ORG_OWNER"], "limits");
    const grpc = secretsClient(org.token);
    for (const name of ["lower", "1ABC", "A-B", "", `A${"B".repeat(64)}`]) {
      const err = await failure(grpc.setSecret({ name, value: "v" }));
      expect(err.code, name).toBe(Code.InvalidArgument);
      expect(err.message).toContain("name");
    }
    expect((await rest("PUT", "/v1/secrets/lower", org.token, { value: "v" })).status).toBe(400);
    await grpc.setSecret({ name: `A${"B".repeat(63)}`, value: "é".repeat(2048) });
    const tooLong = await failure(grpc.setSecret({ name: "BIG", value: "é".repeat(2048) + "x" }));
    expect(tooLong.code).toBe(Code.InvalidArgument);
    expect(tooLong.message).toContain("value");
    expect(tooLong.message).not.toContain("éé");
    expect((await failure(grpc.setSecret({ name: "EMPTY", value: "" }))).code).toBe(Code.InvalidArgument);

    for (let i = 1; i < 100; i++) await grpc.setSecret({ name: `S${i}`, value: "v" });
    expect((await grpc.listSecrets({})).secrets).toHaveLength(100);
    const full = await failure(grpc.setSecret({ name: "ONE_MORE", value: "v" }));
    expect(full.code).toBe(Code.ResourceExhausted);
    expect(full.detailIds).toContain("SECRET-too-many");
    const fullRest = await rest("PUT", "/v1/secrets/ONE_MORE", org.token, { value: "v" });
    expect(fullRest.status).toBe(429);
    // Replacing one of the hundred is still allowed.
    await grpc.setSecret({ name: "S1", value: "w" });
  });

  it("sets, lists and deletes secrets from the CLI beside the running server, which uses them at once", async () => {
    const org = await createOrgWithToken(server, ["ORG_OWNER"], "cli org");
    const cli = async (...argv: string[]) => {
      let out = "";
      let err = "";
      const code = await runCli([...argv, ...servedDataArgs(server)], { stdout: (t) => (out += t), stderr: (t) => (err += t), env: {} });
      return { code, out, err, all: out + err };
    };
    const value = newValue("cli");
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "actiond-cli-secret-")), "value");
    fs.writeFileSync(file, `${value}
`);
    try {
      const set = await cli("secret", "set", "CLI_KEY", "--value-file", file, "--org", org.orgId);
      expect(set.code, set.err).toBe(0);
      const tested = await clientsFor(server.baseUrl, org.token).execution.testAction({
        name: "read",
        script: 'function read(ctx, api) { api.v1.claims.setClaim("v", require("actiond/secrets").get("CLI_KEY")); }',
        flowType: "2",
        triggerType: "5",
      });
      expect(tested.execution!.mutations?.claims?.v).toBe(value);
      const listed = await cli("secret", "list", "--org", org.orgId);
      expect(listed.out).toMatch(/^NAME\s+CREATED\s+BY\s+CHANGED\s+BY\nCLI_KEY\s+\d{4}-/);
      expect((await cli("secret", "delete", "CLI_KEY", "--org", org.orgId)).code).toBe(0);
      expect((await secretsClient(org.token).listSecrets({})).secrets).toEqual([]);
      const refused = await cli("secret", "set", "lower", "--value-file", file, "--org", org.orgId);
      expect([refused.code, refused.err]).toEqual([1, expect.stringContaining("SECRET-name-invalid")]);
      expect((await cli("secret", "list", "--org", "404")).code).toBe(1);
      expect((await cli("secret", "list")).code).toBe(2);
      for (const run of [set, listed, refused]) expect(run.all).not.toContain(value);
    } finally {
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
  });

  it("keeps values sealed: without the key file the database opens nothing, and a server refuses to start", async () => {
    const value = newValue("sealed");
    await secretsClient(owner.token).setSecret({ name: "SEALED", value });
    const data = await openServedData(server);
    let sealed: { sealed_value: string }[];
    try {
      sealed = await data.db.all("SELECT sealed_value FROM secrets WHERE resource_owner = ? AND name = 'SEALED'", [owner.orgId]);
    } finally {
      await data.close();
    }
    expect(sealed).toHaveLength(1);
    const binding = secretValueBinding(owner.orgId, "SEALED");
    // The server's own key opens it (so the check below can fail), a fresh one does not, nor does the right key under another binding.
    const key = loadSecretBox(path.join(server.dataDir, secretsKeyFileName));
    expect(key.open(sealed[0]!.sealed_value, binding)).toBe(value);
    expect(() => createSecretBox(crypto.randomBytes(32)).open(sealed[0]!.sealed_value, binding)).toThrow();
    expect(() => key.open(sealed[0]!.sealed_value, secretValueBinding(other.orgId, "SEALED"))).toThrow();

    // A copy of the database, without the key file beside it.
    const copyDir = fs.mkdtempSync(path.join(os.tmpdir(), "actiond-copy-"));
    try {
      if (server.database === undefined) {
        for (const f of fs.readdirSync(server.dataDir)) {
          if (f !== secretsKeyFileName && f !== serverLockFile && fs.statSync(path.join(server.dataDir, f)).isFile()) fs.copyFileSync(path.join(server.dataDir, f), path.join(copyDir, f));
        }
      }
      const overrides = server.database === undefined ? { dataDir: copyDir, database: undefined } : { dataDir: copyDir, database: server.database };
      await expect(startTestServer(overrides)).rejects.toThrow(/sealed with secrets key/);
    } finally {
      fs.rmSync(copyDir, { recursive: true, force: true });
    }
  });
});
