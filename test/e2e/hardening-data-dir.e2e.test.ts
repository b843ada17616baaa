import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/run-cli.js";
import Database from "better-sqlite3";
import { databaseFile } from "../../src/data-dir.js";
import { migrations } from "../../src/store/sqlite/migrations.js";
import { startChildServer, useChildServers } from "../support/child-server.js";
import { openSimultaneously } from "../support/simultaneous-opens.js";

const { children, tempDir, start, databaseFor } = useChildServers("actiond-dd-");

async function cli(dataDir: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const database = (await databaseFor(dataDir)) ?? "sqlite:";
  const code = await runCli([...argv, "--data-dir", dataDir, "--database", database], { stdout: (t) => (out += t), stderr: (t) => (err += t), env: {} });
  return { code, out, err };
}

const modeOf = (p: string) => fs.statSync(p).mode & 0o777;

describe("the data directory", () => {
  it("is migrated once when many processes open a fresh one at the same moment", { timeout: 120_000 }, async () => {
    const dir = path.join(tempDir(), "fresh");
    const results = await openSimultaneously(dir, 12);
    expect(results.filter((r) => r.code !== 0)).toEqual([]);
    const db = new Database(path.join(dir, databaseFile), { readonly: true });
    try {
      expect(db.pragma("user_version", { simple: true })).toBe(migrations.length);
    } finally {
      db.close();
    }
  });

  it("serves one server only: a second is refused with a clear message, the CLI works beside it", { timeout: 60_000 }, async () => {
    const dir = tempDir();
    const first = await start(dir);
    const second = await startChildServer(dir, [], { database: first.database }).then(
      (s) => (children.push(s), "started"),
      (err: Error) => err.message,
    );
    expect(second).toMatch(/exited with 1 before listening/);
    expect(second).toContain(`another actiond server is already serving the data directory ${dir}`);

    const created = await cli(dir, "org", "create", "--name", "beside");
    expect(created).toMatchObject({ code: 0, err: "" });
    expect((await cli(dir, "org", "list")).out).toContain("beside");

    // The lock is the operating system's: it goes with a killed server, leaving nothing stale.
    first.child.kill("SIGKILL");
    await first.exited;
    await start(dir);
  });

  it("is owner-only, with every file in it, when the server creates it", async () => {
    const dir = path.join(tempDir(), "new");
    const s = await start(dir);
    // A write makes sure the WAL and its index exist.
    expect((await cli(dir, "org", "create", "--name", "w")).code).toBe(0);
    expect(modeOf(dir)).toBe(0o700);
    const files = fs.readdirSync(dir);
    const sqliteFiles = s.database ? [] : ["actiond.db", "actiond.db-wal", "actiond.db-shm"];
    expect(files).toEqual(expect.arrayContaining([...sqliteFiles, "admin.token", "actiond.lock", "secrets.key"]));
    for (const f of files) expect(`${f} ${modeOf(path.join(dir, f)).toString(8)}`).toBe(`${f} 600`);
    expect(s.logs.map((l) => l.msg)).not.toContain("made data files owner-only (an older actiond left them open to others)");
  });

  it("is made owner-only, with a warning naming what changed, when an older actiond left it open", async () => {
    const dir = path.join(tempDir(), "old");
    const first = await start(dir);
    first.child.kill("SIGTERM");
    await first.exited;
    fs.chmodSync(dir, 0o755);
    const loose = fs.readdirSync(dir).map((f) => path.join(dir, f));
    for (const f of loose) fs.chmodSync(f, 0o644);

    const s = await start(dir);
    expect(modeOf(dir)).toBe(0o700);
    for (const f of loose) expect(`${f} ${modeOf(f).toString(8)}`).toBe(`${f} 600`);
    const warning = s.logs.find((l) => l.msg === "made data files owner-only (an older actiond left them open to others)");
    expect(warning).toMatchObject({ level: "warn" });
    expect(warning?.paths).toEqual(expect.arrayContaining([dir, ...loose]));
  });
});
