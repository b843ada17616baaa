import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp } from "../../src/app.js";
import { runCli } from "../../src/cli/run-cli.js";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";
import { secretsKeyFileName } from "../../src/store/secrets-key-file.js";
import { restCaller } from "../support/management-clients.js";
import { servedDataArgs } from "../support/orgs.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

let server: TestServer;
let scratch: string;

beforeAll(async () => {
  server = await startTestServer();
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), "actiond-backup-"));
});
afterAll(async () => {
  await server.close();
  fs.rmSync(scratch, { recursive: true, force: true });
});

async function cli(...argv: string[]): Promise<{ code: number; err: string; out: string }> {
  let out = "";
  let err = "";
  const code = await runCli(argv, { stdout: (t) => (out += t), stderr: (t) => (err += t), env: {} });
  return { code, out, err };
}

describe("actiond backup", () => {
  it("copies the SQLite database while the server writes, and the copy restores to a server that has every acknowledged write", async () => {
    if (server.database) {
      const refused = await cli("backup", "--to", path.join(scratch, "pg.db"), ...servedDataArgs(server));
      expect(refused.code).toBe(1);
      expect(refused.err).toContain("pg_dump");
      return;
    }
    const rest = restCaller(server.baseUrl);
    const auth = { authorization: `Bearer ${server.adminToken}` };
    const before = await rest.call("createAction", { name: "before_backup", script: "function before_backup() {}" }, auth);
    // Writers keep going through the copy: the backup must still be one consistent moment.
    let writing = true;
    const writer = (async () => {
      for (let i = 0; writing; i++) await rest.call("createAction", { name: `during_${i}`, script: "function f() {}" }, auth);
    })();
    const to = path.join(scratch, "copy.db");
    const done = await cli("backup", "--to", to, ...servedDataArgs(server));
    writing = false;
    await writer;
    expect(done).toMatchObject({ code: 0 });
    expect(done.err).toMatch(/backed up .* to .*copy\.db \(\d+ pages, \d+ bytes\)/);
    expect(fs.statSync(to).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(scratch)).toEqual(["copy.db"]);

    // Restore as the README says: the copy becomes actiond.db of a data dir, beside the secrets key.
    const restored = path.join(scratch, "restored");
    fs.mkdirSync(restored, { mode: 0o700 });
    fs.copyFileSync(to, path.join(restored, "actiond.db"));
    fs.copyFileSync(path.join(server.dataDir, secretsKeyFileName), path.join(restored, secretsKeyFileName));
    const check = await cli("check", "--data-dir", restored, "--database", "sqlite:");
    expect(check.out).toMatch(/the projections match a replay of \d+ events/);
    const config = { ...loadConfig([], {}), host: "127.0.0.1", port: 0, dataDir: restored, database: undefined };
    const second = await startApp(config, createLogger("error", () => {}));
    try {
      const { action } = await restCaller(`http://127.0.0.1:${second.address.port}`).call("getAction", { id: before.id }, auth);
      expect(action?.name).toBe("before_backup");
    } finally {
      await second.close();
    }
  });

  it("never overwrites a file, and explains what it needs", async () => {
    const taken = path.join(scratch, "taken.db");
    fs.writeFileSync(taken, "keep me");
    const refused = await cli("backup", "--to", taken, "--data-dir", server.dataDir, "--database", "sqlite:");
    expect(refused).toMatchObject({ code: 1 });
    expect(refused.err).toContain("exists");
    expect(fs.readFileSync(taken, "utf8")).toBe("keep me");
    expect(await cli("backup", "--data-dir", server.dataDir)).toMatchObject({ code: 2, err: 'actiond: backup needs --to FILE (see "actiond backup --help")\n' });
    const missing = await cli("backup", "--to", path.join(scratch, "x.db"), "--data-dir", path.join(scratch, "nowhere"), "--database", "sqlite:");
    expect(missing).toMatchObject({ code: 1 });
    expect(missing.err).toContain("no database at");
  });
});
