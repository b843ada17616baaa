import { execFile } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { type Client, createClient } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FailurePolicy, PayloadType, ZitadelTargetService } from "../../gen/actiond/v1/zitadel_target_pb.js";
import { runCli } from "../../src/cli/run-cli.js";
import { findZitadelTarget } from "../../src/query/zitadel-target-secrets.js";
import { loadSecretBox } from "../../src/store/live-secret-box.js";
import { secretsKeyFileName } from "../../src/store/secrets-key-file.js";
import { startChildServer } from "../support/child-server.js";
import { headerInterceptor } from "../support/management-clients.js";
import { createOrgWithToken, openServedData, servedDataArgs } from "../support/orgs.js";
import { createTestDatabase } from "../support/test-database.js";
import { startTestServer, type TestServer } from "../support/test-server.js";
import { callFailure as failure, restJson } from "../support/rest-json.js";

let server: TestServer;
let admin: string;
let orgOwner: { orgId: string; token: string };

/** Every key any test gives the server: none may come back in an answer, a log line or the database. */
const keys: string[] = [];
let keyCount = 0;
const newKey = () => {
  const key = `zitadel-signing-key-${++keyCount}-${Math.random().toString(36).slice(2)}Xq9`;
  keys.push(key);
  return key;
};
const expectNoKey = (text: string) => {
  for (const key of keys) expect(text, "a signing key was revealed").not.toContain(key);
};

beforeAll(async () => {
  server = await startTestServer();
  admin = `Bearer ${server.adminToken}`;
  orgOwner = await createOrgWithToken(server, ["ORG_OWNER"], "an org owner's org");
});
afterAll(() => server.close());

const rest = (method: string, route: string, body?: unknown, authorization = admin) => restJson(server.baseUrl, method, route, authorization, body);

function grpcClient(authorization: string, orgId?: string): Client<typeof ZitadelTargetService> {
  const transport = createGrpcTransport({ baseUrl: server.baseUrl, interceptors: [headerInterceptor(() => ({ authorization, orgId }))] });
  return createClient(ZitadelTargetService, transport);
}

describe("ZitadelTargetService over gRPC", () => {
  it("creates, reads, lists, updates, rotates keys and deletes a target, never answering a key", async () => {
    const client = grpcClient(admin);
    const [k1, k2, k3] = [newKey(), newKey(), newKey()];
    const answers: unknown[] = [];
    const keep = <T>(answer: T) => (answers.push(answer), answer);

    const { target } = keep(await client.createZitadelTarget({ name: "grpc target", signingKeys: [k1, k2] }));
    expect(target).toMatchObject({
      name: "grpc target",
      payloadType: PayloadType.JSON,
      failurePolicy: FailurePolicy.FORWARD_403,
      orgId: "",
      publicKeyPem: "",
      endpointPath: `/zitadel/v2/targets/${target!.id}`,
    });
    expect(target!.signingKeys.map((k) => k.id)).toEqual(["1", "2"]);
    const id = target!.id;

    expect(keep(await client.getZitadelTarget({ id })).target).toEqual(target);
    expect(keep(await client.listZitadelTargets({})).result.map((t) => t.id)).toContain(id);

    const updated = keep(await client.updateZitadelTarget({ id, name: "grpc target renamed", failurePolicy: FailurePolicy.SERVER_ERROR })).target!;
    expect(updated).toMatchObject({ name: "grpc target renamed", failurePolicy: FailurePolicy.SERVER_ERROR, payloadType: PayloadType.JSON });

    const added = keep(await client.addZitadelTargetKey({ id, signingKeys: [k3] }));
    expect(added.keyIds).toEqual(["3"]);
    const removed = keep(await client.removeZitadelTargetKey({ id, keyId: "1" })).target!;
    expect(removed.signingKeys.map((k) => k.id)).toEqual(["2", "3"]);

    const deleted = keep(await client.deleteZitadelTarget({ id }));
    expect(deleted.deletionDate).toBeDefined();
    const gone = await failure(client.getZitadelTarget({ id }));
    expect(gone).toMatchObject({ code: 5, detailIds: ["TARGET-not-found"] });
    expectNoKey(JSON.stringify(answers, (_, v) => (typeof v === "bigint" ? String(v) : v)));
  });

  it("refuses bad input without echoing the key", async () => {
    const client = grpcClient(admin);
    const spaced = `${newKey()} with spaces`;
    keys.push(spaced);
    const invalid = await failure(client.createZitadelTarget({ name: "bad key", signingKeys: [spaced] }));
    expect(invalid.code).toBe(3);
    const noKey = await failure(client.createZitadelTarget({ name: "no key" }));
    expect(noKey).toMatchObject({ code: 9, detailIds: ["TARGET-signing-key-missing"] });
    await client.createZitadelTarget({ name: "taken", signingKeys: [newKey()] });
    const taken = await failure(client.createZitadelTarget({ name: "TAKEN", signingKeys: [newKey()] }));
    expect(taken).toMatchObject({ code: 6, detailIds: ["TARGET-name-taken"] });
    expectNoKey(JSON.stringify([invalid, noKey, taken]));
  });
});

describe("ZitadelTargetService over REST", () => {
  it("serves every RPC under /v1/zitadel-targets, never answering a key", async () => {
    const [k1, k2] = [newKey(), newKey()];
    const bodies: string[] = [];
    const call = async (method: string, route: string, body?: unknown) => {
      const res = await rest(method, route, body);
      bodies.push(res.text);
      expect(res.status, `${method} ${route}: ${res.text}`).toBe(200);
      return res.json;
    };

    const { target } = await call("POST", "/v1/zitadel-targets", { name: "rest target", signingKeys: [k1], failurePolicy: "FAILURE_POLICY_SERVER_ERROR" });
    expect(target).toMatchObject({ name: "rest target", payloadType: "PAYLOAD_TYPE_JSON", failurePolicy: "FAILURE_POLICY_SERVER_ERROR" });
    const id: string = target.id;
    expect((await call("GET", `/v1/zitadel-targets/${id}`)).target.signingKeys.map((k: { id: string }) => k.id)).toEqual(["1"]);
    expect((await call("GET", "/v1/zitadel-targets")).result.map((t: { id: string }) => t.id)).toContain(id);
    expect((await call("POST", "/v1/zitadel-targets/_search", { limit: 1000 })).totalResult).toMatch(/^\d+$/);
    expect((await call("PATCH", `/v1/zitadel-targets/${id}`, { orgId: orgOwner.orgId })).target.orgId).toBe(orgOwner.orgId);
    expect((await call("POST", `/v1/zitadel-targets/${id}/keys`, { signingKeys: [k2] })).keyIds).toEqual(["2"]);
    expect((await call("DELETE", `/v1/zitadel-targets/${id}/keys/1`)).target.signingKeys.map((k: { id: string }) => k.id)).toEqual(["2"]);
    await call("DELETE", `/v1/zitadel-targets/${id}`);
    const gone = await rest("GET", `/v1/zitadel-targets/${id}`);
    expect(gone.status).toBe(404);
    expectNoKey(bodies.join("\n") + gone.text);
  });

  it("generates a JWE target's key pair and shows only its public key, in Create and Get", async () => {
    const created = await rest("POST", "/v1/zitadel-targets", {
      name: "jwe target",
      payloadType: "PAYLOAD_TYPE_JWE",
      issuer: "https://zitadel.example.com",
    });
    expect(created.status).toBe(200);
    const { target } = created.json;
    expect(target.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n[\s\S]+\n-----END PUBLIC KEY-----\n$/);
    const read = await rest("GET", `/v1/zitadel-targets/${target.id}`);
    expect(read.json.target.publicKeyPem).toBe(target.publicKeyPem);
    expect(created.text + read.text).not.toContain("PRIVATE KEY");
  });
});

describe("who may manage targets", () => {
  it("refuses an ORG_OWNER every RPC, on gRPC and REST, in its own org", async () => {
    const client = grpcClient(`Bearer ${orgOwner.token}`, orgOwner.orgId);
    const calls = [
      client.createZitadelTarget({ name: "mine", signingKeys: [newKey()] }),
      client.getZitadelTarget({ id: "1" }),
      client.listZitadelTargets({}),
      client.updateZitadelTarget({ id: "1", name: "x" }),
      client.deleteZitadelTarget({ id: "1" }),
      client.addZitadelTargetKey({ id: "1", signingKeys: [newKey()] }),
      client.removeZitadelTargetKey({ id: "1", keyId: "1" }),
    ];
    // All awaited together: a refusal that settles while an earlier one is awaited must not go unhandled.
    for (const refused of await Promise.all(calls.map(failure))) expect(refused).toMatchObject({ code: 7, detailIds: ["AUTH-5mWD2"] });
    const owner = `Bearer ${orgOwner.token}`;
    for (const [method, route] of [
      ["GET", "/v1/zitadel-targets"],
      ["POST", "/v1/zitadel-targets"],
      ["DELETE", "/v1/zitadel-targets/1"],
    ] as const) {
      expect((await rest(method, route, method === "POST" ? { name: "x", signingKeys: [newKey()] } : undefined, owner)).status).toBe(403);
    }
  });

  it("gives an IAM_OWNER the instance's targets whatever org the call names", async () => {
    const { target } = await grpcClient(admin).createZitadelTarget({ name: "instance-wide", signingKeys: [newKey()] });
    const inOtherOrg = await grpcClient(admin, orgOwner.orgId).getZitadelTarget({ id: target!.id });
    expect(inOtherOrg.target?.name).toBe("instance-wide");
    const connect = createClient(
      ZitadelTargetService,
      createConnectTransport({ baseUrl: server.baseUrl, httpVersion: "1.1", interceptors: [headerInterceptor(() => ({ authorization: admin }))] }),
    );
    expect((await connect.listZitadelTargets({})).result.map((t) => t.id)).toContain(target!.id);
  });
});

/** The CLI in-process against the running server's data dir, as a second writer to its database. */
async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await runCli([...argv, ...servedDataArgs(server)], { stdout: (t) => (out += t), stderr: (t) => (err += t), env: {} });
  return { code, out, err };
}

function keyFile(key: string): string {
  const file = path.join(server.dataDir, `key-${keyCount}.txt`);
  fs.writeFileSync(file, `${key}\n`);
  return file;
}

describe("the zitadel-target CLI", () => {
  it("manages targets on the server's database, sealing keys with the server's key file", async () => {
    const zitadelOrg = "318900732864567390";
    const org = await cli("org", "create", "--name", "zitadel org", "--id", zitadelOrg);
    expect(org).toMatchObject({ code: 0, out: `${zitadelOrg}\n` });
    expect(await cli("org", "create", "--name", "again", "--id", zitadelOrg)).toMatchObject({ code: 1, err: expect.stringContaining("ORG-lapo2m") });
    expect((await cli("org", "create", "--name", "bad", "--id", "not an id")).code).toBe(1);

    const [k1, k2] = [newKey(), newKey()];
    const created = await cli("zitadel-target", "create", "--name", "from cli", "--signing-key-file", keyFile(k1), "--org", zitadelOrg);
    expect(created.code, created.err).toBe(0);
    expect(created.out).toMatch(/^\d+\n$/);
    const id = created.out.trim();
    expect(created.err).toContain(`/zitadel/v2/targets/${id}`);

    const seen = await grpcClient(admin).getZitadelTarget({ id });
    expect(seen.target).toMatchObject({ name: "from cli", orgId: zitadelOrg });

    const added = await cli("zitadel-target", "add-key", id, "--signing-key-file", keyFile(k2));
    expect(added).toMatchObject({ code: 0, out: "2\n" });
    expect((await cli("zitadel-target", "remove-key", id, "1")).code).toBe(0);
    expect((await cli("zitadel-target", "remove-key", id, "2")).err).toContain("TARGET-signing-key-missing");

    const data = await openServedData(server);
    try {
      const secrets = loadSecretBox(path.join(server.dataDir, secretsKeyFileName));
      expect((await findZitadelTarget(data.db, secrets, id))?.signingKeys).toEqual([{ id: "2", key: k2 }]);
    } finally {
      await data.close();
    }

    const listed = await cli("zitadel-target", "list");
    const row = listed.out.split("\n").find((l) => l.startsWith(id))!;
    expect(row).toContain("from cli");
    expect(row).toContain(zitadelOrg);
    expectNoKey(listed.out + created.err + added.err);

    expect((await cli("zitadel-target", "delete", id)).code).toBe(0);
    expect((await cli("zitadel-target", "list")).out).not.toContain("from cli");
    expect((await cli("zitadel-target", "delete", id)).err).toContain("TARGET-not-found");
  });

  it("hands out a JWE target's public key on stderr or into a file, keeping stdout to the id", async () => {
    const args = ["zitadel-target", "create", "--payload-type", "jwe", "--issuer", "https://zitadel.example.com"];
    const onStderr = await cli(...args, "--name", "jwe on stderr");
    expect(onStderr.out).toMatch(/^\d+\n$/);
    expect(onStderr.err).toContain("-----BEGIN PUBLIC KEY-----");
    const out = path.join(server.dataDir, "public.pem");
    const toFile = await cli(...args, "--name", "jwe to file", "--public-key-out", out);
    expect(toFile.out).toMatch(/^\d+\n$/);
    const pem = fs.readFileSync(out, "utf8");
    expect(pem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect((await cli("zitadel-target", "public-key", toFile.out.trim())).out).toBe(pem);
    expect(toFile.err).not.toContain("BEGIN PUBLIC KEY");
  });

  it("explains usage errors with exit code 2, and has --help", async () => {
    expect((await cli("zitadel-target", "create", "--signing-key-file", keyFile(newKey()))).code).toBe(2);
    expect((await cli("zitadel-target", "create", "--name", "x", "--payload-type", "xml")).err).toContain("--payload-type");
    expect((await cli("zitadel-target", "add-key", "1")).code).toBe(2);
    expect((await cli("zitadel-target", "frobnicate")).code).toBe(2);
    const help = await cli("zitadel-target", "--help");
    expect(help).toMatchObject({ code: 0, out: expect.stringMatching(/^Usage: actiond zitadel-target/) });
    expect((await cli("help")).out).toContain("zitadel-target");
  });

  it("runs through the npm script, printing the id alone on stdout", async () => {
    // Async: the server runs in this process, a blocking child would stall it.
    const { stdout } = await promisify(execFile)(
      "npm",
      ["run", "-s", "actiond", "--", "zitadel-target", "create", "--name", "via npm", "--signing-key-file", keyFile(newKey()), ...servedDataArgs(server)],
      { cwd: new URL("../..", import.meta.url).pathname },
    );
    expect(stdout).toMatch(/^\d+\n$/);
  });
});

describe("secrets at rest", () => {
  it("keeps the key file owner-only in the data dir, and no key in a copy of the database or in the log", async () => {
    expect(fs.statSync(path.join(server.dataDir, secretsKeyFileName)).mode & 0o777).toBe(0o600);
    const copy = await databaseCopy();
    expect(copy.length).toBeGreaterThan(0);
    expect(keys.length).toBeGreaterThan(10);
    for (const key of keys) expect(copy.includes(key), "a signing key is in the database").toBe(false);
    expectNoKey(JSON.stringify(server.logs));
  });

  it("refuses to serve with another key file than the one the secrets were sealed with, and says why", { timeout: 60_000 }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "actiond-other-key-"));
    const database = await createTestDatabase();
    const served = { dataDir: dir, database: database.url };
    try {
      const sealed = await runCli(["zitadel-target", "create", "--name", "sealed", "--signing-key-file", keyFile(newKey()), ...servedDataArgs(served)], {
        stdout: () => {},
        stderr: () => {},
        env: {},
      });
      expect(sealed).toBe(0);
      const otherKey = path.join(dir, "other.key");
      fs.writeFileSync(otherKey, crypto.randomBytes(32), { mode: 0o600 });
      const refused = await startChildServer(dir, ["--secrets-key-file", otherKey], served).then(
        (s) => (s.child.kill("SIGKILL"), "started"),
        (err: Error) => err.message,
      );
      expect(refused).toMatch(/exited with 1 before listening/);
      expect(refused).toMatch(/the database holds secrets sealed with secrets key [0-9a-f]{16}, but .*other\.key holds key [0-9a-f]{16}/);
      const server = await startChildServer(dir, [], served);
      server.child.kill("SIGTERM");
      await server.exited;
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      await database.drop();
    }
  });
});

/** What a copy of the server's database holds: SQLite's files byte for byte, or every row of every PostgreSQL table. */
async function databaseCopy(): Promise<Buffer> {
  if (!server.database) {
    const files = fs.readdirSync(server.dataDir).filter((f) => f.startsWith("actiond.db"));
    return Buffer.concat(files.map((f) => fs.readFileSync(path.join(server.dataDir, f))));
  }
  const data = await openServedData(server);
  try {
    const tables = await data.db.all<{ name: string }>("SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'");
    const rows = await Promise.all(tables.map(({ name }) => data.db.all(`SELECT * FROM ${name}`)));
    return Buffer.from(JSON.stringify(rows));
  } finally {
    await data.close();
  }
}
