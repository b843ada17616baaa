import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Code } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/run-cli.js";
import { secretsKeyFileName } from "../../src/store/secrets-key-file.js";
import { type ChildServer, startChildServer, useChildServers } from "../support/child-server.js";
import { clientsFor } from "../support/execution-client.js";
import { createTestDatabase, testEngine } from "../support/test-database.js";
import { createOrgWithToken, type ServedData, servedDataArgs } from "../support/orgs.js";
import { postToTarget, signatureHeader } from "../support/zitadel-caller.js";
import { oidcPayload } from "../support/zitadel-v2-payloads.js";

const { tempDir, start, children } = useChildServers("actiond-rotate-");

/** The CLI in-process on a node's data dir and database, as an operator runs it beside the servers. */
async function cli(served: ServedData, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await runCli([...argv, ...servedDataArgs(served)], { stdout: (t) => (out += t), stderr: (t) => (err += t), env: {} });
  return { code, out, err };
}

/** `secrets-key list` as rows: key id, role, how many values it sealed. */
async function keyRows(served: ServedData, ...flags: string[]): Promise<string[][]> {
  const listed = await cli(served, "secrets-key", "list", ...flags);
  expect(listed.code, listed.err).toBe(0);
  return listed.out.trim().split("\n").slice(1).map((line) => line.trim().split(/\s+/));
}

const keyFileOf = (dataDir: string) => path.join(dataDir, secretsKeyFileName);

/** An org with a secret, an action that puts it in a claim, and a ZITADEL target with a signing key; and probes of both. */
async function secretsInUse(server: ChildServer, served: ServedData) {
  const org = await createOrgWithToken(served, ["ORG_OWNER"], "rotation org");
  const c = clientsFor(server.baseUrl, org.token);
  const setSecret = async (name: string, value: string, via = server) => {
    const res = await fetch(`${via.baseUrl}/v1/secrets/${name}`, {
      method: "PUT",
      headers: { authorization: `Bearer ${org.token}`, "content-type": "application/json" },
      body: JSON.stringify({ value }),
    });
    expect(res.status, await res.text()).toBe(200);
  };
  await setSecret("API_KEY", "first-value");
  const { id } = await c.management.createAction({
    name: "claim",
    script: `function claim(ctx, api) { api.v1.claims.setClaim("v", String(require("actiond/secrets").get("API_KEY"))); }`,
  });
  await c.management.setTriggerActions({ flowType: "2", triggerType: "5", actionIds: [id] });
  const claimOn = async (via = server) =>
    (await clientsFor(via.baseUrl, org.token).execution.runTrigger({ flowType: "2", triggerType: "5", context: {} })).execution?.mutations?.claims?.v;

  const signingKey = crypto.randomBytes(24).toString("base64url");
  const signingKeyFile = path.join(tempDir(), "signing.key");
  fs.writeFileSync(signingKeyFile, signingKey);
  const created = await cli(served, "zitadel-target", "create", "--name", "zitadel", "--signing-key-file", signingKeyFile, "--org", org.orgId);
  expect(created.code, created.err).toBe(0);
  const body = JSON.stringify(oidcPayload());
  const targetStatus = async (via = server) => (await postToTarget(via.baseUrl, created.out.trim(), body, { "zitadel-signature": signatureHeader(body, signingKey) })).status;
  return { setSecret, claimOn, targetStatus };
}

describe("rotating the secrets key file", () => {
  it("beside a running server: values keep opening, new ones seal with the new key, and the old key leaves", { timeout: 90_000 }, async () => {
    const dir = tempDir();
    const server = await start(dir);
    const served = { dataDir: dir, database: server.database };
    const use = await secretsInUse(server, served);
    expect(await use.claimOn()).toBe("first-value");
    expect(await use.targetStatus()).toBe(200);
    const [[oldKey, role, count]] = (await keyRows(served)) as [string[]];
    expect([role, count]).toEqual(["seals", "2"]);

    const rotated = await cli(served, "secrets-key", "rotate");
    expect(rotated.code, rotated.err).toBe(0);
    const newKey = rotated.out.trim();
    expect(newKey).toMatch(/^[0-9a-f]{16}$/);
    expect(rotated.err).toBe(`2 values sealed again with key ${newKey}\n`);
    expect(await keyRows(served)).toEqual([
      [newKey, "seals", "2"],
      [oldKey!, "opens", "0"],
    ]);

    // The server held only the old key: it reads the file again on the first value sealed with the new one.
    expect(await use.claimOn()).toBe("first-value");
    expect(await use.targetStatus()).toBe(200);
    expect(server.logs.find((l) => l.msg === "secrets key file loaded")).toMatchObject({ sealingKey: newKey, keys: [newKey, oldKey] });
    await use.setSecret("API_KEY", "second-value");
    expect(await keyRows(served)).toEqual([
      [newKey, "seals", "2"],
      [oldKey!, "opens", "0"],
    ]);

    expect(await cli(served, "secrets-key", "remove", newKey)).toMatchObject({ code: 1, err: expect.stringContaining(`key ${newKey} seals`) });
    expect(await cli(served, "secrets-key", "remove", oldKey!)).toMatchObject({ code: 0 });
    expect(fs.statSync(keyFileOf(dir)).size).toBe(32);
    expect(fs.statSync(keyFileOf(dir)).mode & 0o777).toBe(0o600);
    expect(await use.claimOn()).toBe("second-value");
    expect(await use.targetStatus()).toBe(200);
    expect(await cli(served, "check")).toMatchObject({ code: 0 });

    server.child.kill("SIGTERM");
    expect((await server.exited).code).toBe(0);
    const again = await startChildServer(dir, [], { database: server.database });
    children.push(again);
    expect(await use.claimOn(again)).toBe("second-value");
    expect(JSON.stringify([server.logs, again.logs])).not.toMatch(/first-value|second-value/);
  });

  it("refuses to drop a key the database still needs, and a start without it; a broken file keeps the keys held", { timeout: 90_000 }, async () => {
    const dir = tempDir();
    const server = await start(dir);
    const served = { dataDir: dir, database: server.database };
    const use = await secretsInUse(server, served);
    const oldFile = path.join(tempDir(), "old.key");
    fs.copyFileSync(keyFileOf(dir), oldFile);
    const [[oldKey]] = (await keyRows(served)) as [string[]];

    const added = await cli(served, "secrets-key", "add");
    const newKey = added.out.trim();
    expect(added.err).toContain(`"actiond secrets-key use ${newKey}"`);
    expect((await keyRows(served)).map((r) => r.slice(0, 2))).toEqual([
      [oldKey, "seals"],
      [newKey, "opens"],
    ]);
    expect(await cli(served, "secrets-key", "use", newKey)).toMatchObject({ code: 0 });
    await use.setSecret("LATER", "later-value");
    expect(await cli(served, "secrets-key", "remove", oldKey!)).toMatchObject({
      code: 1,
      err: `actiond: the database holds 2 values sealed with key ${oldKey}: run "actiond secrets-key reseal" first\n`,
    });
    expect(await cli(served, "secrets-key", "use", "0123456789abcdef")).toMatchObject({ code: 1, err: expect.stringContaining("holds no key 0123456789abcdef") });
    expect(await cli(served, "secrets-key", "remove")).toMatchObject({ code: 2 });
    expect(await cli(served, "secrets-key", "frobnicate")).toMatchObject({ code: 2 });
    const mistyped = path.join(tempDir(), "secrets.kye");
    for (const sub of ["add", "rotate", "reseal", "list"]) {
      expect(await cli(served, "secrets-key", sub, "--secrets-key-file", mistyped)).toMatchObject({
        code: 1,
        err: `actiond: there is no secrets key file at ${mistyped}: a server creates it on its first start\n`,
      });
    }
    expect(fs.existsSync(mistyped)).toBe(false);
    expect(await cli(served, "secrets-key", "reseal")).toMatchObject({ code: 0, err: `2 values sealed again with key ${newKey}\n` });
    expect(await cli(served, "secrets-key", "reseal")).toMatchObject({ code: 0, err: `0 values sealed again with key ${newKey}\n` });
    expect(await cli(served, "secrets-key", "remove", oldKey!)).toMatchObject({ code: 0 });

    const good = fs.readFileSync(keyFileOf(dir));
    fs.writeFileSync(keyFileOf(dir), crypto.randomBytes(32));
    server.child.kill("SIGHUP");
    await expect.poll(() => server.logs.find((l) => l.level === "error"), { timeout: 10_000 }).toMatchObject({
      msg: "the secrets key file lacks keys the database holds values of; calls that open them fail",
      missing: [newKey],
    });
    fs.writeFileSync(keyFileOf(dir), good);
    server.child.kill("SIGHUP");
    await expect.poll(() => server.logs.filter((l) => l.msg === "secrets key file loaded").at(-1), { timeout: 10_000 }).toMatchObject({ keys: [newKey] });
    fs.writeFileSync(keyFileOf(dir), "not a key");
    server.child.kill("SIGHUP");
    await expect.poll(() => server.logs.filter((l) => l.level === "error").at(-1), { timeout: 10_000 }).toMatchObject({
      msg: "the secrets key file did not load; still using the keys held before",
    });
    expect(await use.claimOn()).toBe("first-value");
    expect(await use.targetStatus()).toBe(200);
    fs.writeFileSync(keyFileOf(dir), good);

    server.child.kill("SIGTERM");
    await server.exited;
    const refused = await startChildServer(dir, ["--secrets-key-file", oldFile], { database: server.database }).then(
      () => expect.unreachable("it started"),
      (err: Error) => err.message,
    );
    expect(refused).toContain(`sealed with secrets key ${newKey}, but ${oldFile} holds key ${oldKey}`);
    // Nor does a rotation start from such a file: it is left as it was.
    const before = fs.readFileSync(oldFile);
    expect(await cli(served, "secrets-key", "rotate", "--secrets-key-file", oldFile)).toMatchObject({ code: 1, out: "" });
    expect(fs.readFileSync(oldFile).equals(before)).toBe(true);
    expect(await keyRows(served, "--secrets-key-file", oldFile)).toEqual([
      [oldKey, "seals", "0"],
      [newKey, "missing", "3"],
    ]);
  });
});

describe.runIf(testEngine() === "postgres")("rotating the key file of two nodes on one PostgreSQL database", () => {
  it("stages the new key on every node first; a node picks up a copied file without a restart", { timeout: 120_000 }, async () => {
    const database = await createTestDatabase();
    try {
      const [dirA, dirB] = [tempDir(), tempDir()];
      const a = await startChildServer(dirA, [], { database: database.url });
      children.push(a);
      fs.mkdirSync(dirB, { recursive: true });
      fs.copyFileSync(keyFileOf(dirA), keyFileOf(dirB));
      const b = await startChildServer(dirB, [], { database: database.url });
      children.push(b);
      const [onA, onB] = [{ dataDir: dirA, database: database.url }, { dataDir: dirB, database: database.url }];
      const use = await secretsInUse(a, onA);
      expect([await use.claimOn(a), await use.claimOn(b)]).toEqual(["first-value", "first-value"]);

      // A misstep first: node A seals with a key node B has not got. B fails those calls, and only those.
      const early = (await cli(onA, "secrets-key", "rotate")).out.trim();
      expect(await use.claimOn(b).catch((err: { code: Code }) => err.code)).toBe(Code.Internal);
      fs.copyFileSync(keyFileOf(dirA), keyFileOf(dirB));
      expect(await use.claimOn(b)).toBe("first-value");

      // The procedure: add (opens only) and copy, then use and copy, then reseal, then remove and copy.
      const newKey = (await cli(onA, "secrets-key", "add")).out.trim();
      fs.copyFileSync(keyFileOf(dirA), keyFileOf(dirB));
      expect(await cli(onA, "secrets-key", "use", newKey)).toMatchObject({ code: 0 });
      fs.copyFileSync(keyFileOf(dirA), keyFileOf(dirB));
      await use.setSecret("API_KEY", "second-value", b);
      expect(await use.claimOn(a)).toBe("second-value");
      expect(await cli(onA, "secrets-key", "reseal")).toMatchObject({ code: 0, err: `1 value sealed again with key ${newKey}\n` });
      const [[, , oldCount]] = (await keyRows(onA)).filter(([id]) => id === early) as [string[]];
      expect(oldCount).toBe("0");
      expect(await cli(onA, "secrets-key", "remove", early)).toMatchObject({ code: 0 });
      fs.copyFileSync(keyFileOf(dirA), keyFileOf(dirB));
      expect([await use.claimOn(a), await use.claimOn(b)]).toEqual(["second-value", "second-value"]);
      expect([await use.targetStatus(a), await use.targetStatus(b)]).toEqual([200, 200]);
      expect(await keyRows(onB)).toContainEqual([newKey, "seals", "2"]);
    } finally {
      for (const c of children) c.child.kill("SIGKILL");
      await Promise.all(children.map((c) => c.exited));
      await database.drop();
    }
  });
});
