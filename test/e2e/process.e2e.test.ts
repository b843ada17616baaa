import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ManagementService } from "../../gen/zitadel/management/v1/management_pb.js";
import { type ChildServer, startChildServer, useChildServers } from "../support/child-server.js";

const { tempDir, start } = useChildServers("actiond-proc-");

function clientFor(s: ChildServer, token: string) {
  return createClient(
    ManagementService,
    createConnectTransport({
      baseUrl: s.baseUrl,
      httpVersion: "1.1",
      interceptors: [(next) => (req) => (req.header.set("authorization", `Bearer ${token}`), next(req))],
    }),
  );
}

describe("the server process", () => {
  it("bootstraps an admin token file with mode 0600 and logs its path, never the token", async () => {
    const dir = tempDir();
    const s = await start(dir);
    const file = path.join(dir, "admin.token");
    const token = fs.readFileSync(file, "utf8").trim();
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.stringify(s.logs)).toContain(file);
    expect(JSON.stringify(s.logs)).not.toContain(token);
  });

  it("keeps an acknowledged write across kill -9", async () => {
    const dir = tempDir();
    const first = await start(dir);
    const token = fs.readFileSync(path.join(dir, "admin.token"), "utf8").trim();
    const { id } = await clientFor(first, token).createAction({ name: "durable", script: "function durable() {}" });
    first.child.kill("SIGKILL");
    expect((await first.exited).signal).toBe("SIGKILL");

    const second = await start(dir);
    const { action } = await clientFor(second, token).getAction({ id });
    expect(action?.name).toBe("durable");
    // The token was not re-created: the first start's token still works.
    expect(fs.readFileSync(path.join(dir, "admin.token"), "utf8").trim()).toBe(token);
  });

  it("shuts down gracefully on SIGTERM", async () => {
    const s = await start(tempDir());
    s.child.kill("SIGTERM");
    expect(await s.exited).toEqual({ code: 0, signal: null });
    expect(s.logs.map((l) => l.msg)).toContain("actiond stopped");
  });

  it("refuses a bad configuration with a clear message", async () => {
    await expect(startChildServer(tempDir(), ["--listen", "nonsense"])).rejects.toThrow(/--listen: expected host:port/);
  });
});
