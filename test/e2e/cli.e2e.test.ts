import { execFile } from "node:child_process";
import fs from "node:fs";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/run-cli.js";
import { openServedData, servedDataArgs } from "../support/orgs.js";
import { restCaller } from "../support/management-clients.js";
import { startTestServer, type TestServer } from "../support/test-server.js";
import type { WireError } from "../support/wire-error.js";

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

/** The CLI in-process against the running server's data dir, as a second writer to its database. */
async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await runCli([...argv, ...servedDataArgs(server)], {
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
    env: {},
  });
  return { code, out, err };
}

describe("the CLI", () => {
  it("creates an org and a token that the running server accepts at once, lists it without the secret, and revokes it at once", async () => {
    const org = await cli("org", "create", "--name", "acme");
    expect(org.code).toBe(0);
    const orgId = org.out.trim();
    expect(org.out).toMatch(/^\d+\n$/);
    expect((await cli("org", "list")).out).toContain(`${orgId}  acme`);

    const created = await cli("token", "create", "--org", orgId, "--role", "ORG_OWNER", "--subject", "ci-bot", "--expires", "1h");
    expect(created.code).toBe(0);
    const token = created.out.trim();
    expect(created.out).toMatch(/^actiond_[\w-]{43}\n$/);

    const rest = restCaller(server.baseUrl);
    const auth = { authorization: `Bearer ${token}` };
    const { id } = await rest.call("createAction", { name: "from_cli", script: "function from_cli() {}" }, auth);
    expect((await rest.call("getAction", { id }, auth)).action?.details?.resourceOwner).toBe(orgId);

    const listed = await cli("token", "list");
    const row = listed.out.split("\n").find((l) => l.includes("ci-bot"))!;
    expect(row).toContain(orgId);
    expect(row).toContain("ORG_OWNER");
    const [, , , , , , lastUsed, revoked] = row.split(/\s{2,}/);
    expect(lastUsed).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(revoked).toBe("-");
    expect(listed.out).not.toContain(token);
    expect(listed.out).not.toContain(token.slice(8, 20));

    const tokenId = row.split(/\s+/)[0]!;
    expect((await cli("token", "revoke", tokenId)).code).toBe(0);
    const refused = (await rest.call("getAction", { id }, auth).catch((e: WireError) => e)) as WireError;
    expect(refused.code).toBe(16);
  });

  it("records who caused each change and logs each call without the token", async () => {
    const orgId = (await cli("org", "create", "--name", "audited")).out.trim();
    const token = (await cli("token", "create", "--org", orgId, "--role", "ORG_OWNER")).out.trim();
    const rest = restCaller(server.baseUrl);
    const { id } = await rest.call("createAction", { name: "audited", script: "function audited() {}" }, { authorization: `Bearer ${token}` });
    const tokenId = (await cli("token", "list")).out.split("\n").find((l) => l.includes(orgId))!.split(/\s+/)[0];
    const data = await openServedData(server);
    const row = await data.db.get<{ creator: string }>("SELECT creator FROM events WHERE aggregate_id = ?", [id]);
    await data.close();
    expect(row?.creator).toBe(tokenId);
    const line = server.logs.find((l) => l.msg === "call" && l.rpc === "zitadel.management.v1.ManagementService/CreateAction" && l.org === orgId);
    expect(line).toMatchObject({ code: "ok" });
    expect(line?.subject).toMatch(/^\d+$/);
    expect(JSON.stringify(server.logs)).not.toContain(token);
  });

  it("explains usage errors and failures with exit codes 2 and 1", async () => {
    const unknownRole = await cli("token", "create", "--org", "1", "--role", "ROOT");
    expect(unknownRole).toMatchObject({ code: 2 });
    expect(unknownRole.err).toContain('unknown role "ROOT"');
    const unknownOrg = await cli("token", "create", "--org", "1", "--role", "ORG_OWNER");
    expect(unknownOrg).toMatchObject({ code: 1 });
    expect(unknownOrg.err).toContain("org 1 does not exist");
    expect((await cli("token", "revoke", "999")).code).toBe(1);
    expect((await cli("org", "create")).code).toBe(2);
    expect((await cli("token", "create", "--org", "1", "--role", "ORG_OWNER", "--expires", "soon")).err).toContain("--expires");
    expect((await cli("frobnicate")).code).toBe(2);
  });

  it("has --help on every command", async () => {
    for (const argv of [["help"], ["--help"], ["serve", "--help"], ["org", "--help"], ["token", "--help"], ["zitadel-target", "--help"], ["backup", "--help"], ["check", "--help"]]) {
      const r = await cli(...argv);
      expect(r.code, argv.join(" ")).toBe(0);
      expect(r.out, argv.join(" ")).toMatch(/^Usage: actiond/);
    }
  });

  it("describes every serve flag with its environment variable in a sentence", async () => {
    const help = (await cli("serve", "--help")).out;
    const flags = [...help.matchAll(/^ {2}--([a-z-]+)(?: [A-Z:]+)?\n {6}(.+)\n(?: {6}Env (ACTIOND_[A-Z_]+); default .+\.)?$/gm)];
    expect(flags.map((f) => f[1])).toEqual(expect.arrayContaining(["listen", "data-dir", "database", "workers", "log-level", "tls-cert", "tls-key"]));
    for (const [, flag, sentence, env] of flags) {
      expect(sentence, flag).toMatch(/^[A-Zp*].{10,}\.$/);
      if (flag !== "help") expect(env, flag).toMatch(new RegExp(`^ACTIOND_${flag!.toUpperCase().replaceAll("-", "_")}(_URL)?$`));
    }
    expect(flags.length).toBe(help.match(/^ {2}--/gm)!.length);
  });

  it("prints its version, and one line naming the problem for an unknown flag or a bad value", async () => {
    const { version } = JSON.parse(fs.readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
    expect(await cli("--version")).toMatchObject({ code: 0, out: `actiond ${version}\n` });
    expect(await runCli(["serve", "--frobnicate"], { stdout: () => {}, stderr: (t) => expect(t).toBe(`actiond: Unknown option '--frobnicate' (see "actiond serve --help")\n`), env: {} })).toBe(2);
    const bad = await cli("serve", "--workers", "many");
    expect(bad).toMatchObject({ code: 2, out: "" });
    expect(bad.err).toBe(`actiond: --workers: expected a positive integer, got "many" (see "actiond serve --help")\n`);
    expect((await cli("token", "list", "--colour")).err.split("\n")).toHaveLength(2);
  });

  it("runs through the npm script, printing the id alone on stdout", async () => {
    // Async: the server runs in this process, a blocking child would stall it.
    const { stdout } = await promisify(execFile)("npm", ["run", "-s", "actiond", "--", "org", "create", "--name", "via-npm", ...servedDataArgs(server)], {
      cwd: new URL("../..", import.meta.url).pathname,
    });
    expect(stdout).toMatch(/^\d+\n$/);
    expect((await cli("org", "list")).out).toContain("via-npm");
  });
});
