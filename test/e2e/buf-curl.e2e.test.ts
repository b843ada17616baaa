/**
 * `buf curl` with no local schema: it learns ManagementService from the
 * server's reflection service, then calls it over gRPC (h2c), gRPC-Web and
 * Connect. buf runs as an async child process — the server lives in this
 * process, so a synchronous spawn would deadlock.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/test-server.js";

const run = promisify(execFile);
const buf = new URL("../../node_modules/.bin/buf", import.meta.url).pathname;
const service = "zitadel.management.v1.ManagementService";

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.close();
});

interface BufResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

async function bufCurl(args: string[]): Promise<BufResult> {
  try {
    const { stdout, stderr } = await run(buf, ["curl", ...args], {
      timeout: 20_000,
      // Keep buf's module cache out of $HOME; the data dir is removed in afterAll.
      env: { ...process.env, BUF_CACHE_DIR: path.join(server.dataDir, "buf-cache") },
    });
    return { exitCode: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof e.code !== "number") throw err;
    return { exitCode: e.code, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

it("lists the 12 ManagementService methods through reflection", async () => {
  const { exitCode, stdout, stderr } = await bufCurl(["--list-methods", "--protocol", "grpc", "--http2-prior-knowledge", server.baseUrl]);
  expect(stderr).toBe("");
  expect(exitCode).toBe(0);
  const methods = stdout
    .split("\n")
    .filter((l) => l.startsWith(`${service}/`))
    .map((l) => l.slice(service.length + 1))
    .sort();
  expect(methods).toEqual([
    "ClearFlow",
    "CreateAction",
    "DeactivateAction",
    "DeleteAction",
    "GetAction",
    "GetFlow",
    "ListActions",
    "ListFlowTriggerTypes",
    "ListFlowTypes",
    "ReactivateAction",
    "SetTriggerActions",
    "UpdateAction",
  ]);
});

const protocols: [string, string[]][] = [
  ["grpc", ["--protocol", "grpc", "--http2-prior-knowledge"]],
  ["grpcweb", ["--protocol", "grpcweb"]],
  ["connect", ["--protocol", "connect"]],
];

describe.each(protocols)("buf curl --protocol %s", (protocol, protocolArgs) => {
  const call = (method: string, body: unknown) =>
    bufCurl([
      ...protocolArgs,
      "-H",
      `Authorization: Bearer ${server.adminToken}`,
      "-d",
      JSON.stringify(body),
      `${server.baseUrl}/${service}/${method}`,
    ]);

  it("creates an action and reads it back", async () => {
    const name = `buf_${protocol}`;
    const script = `function ${name}(ctx, api) {}`;
    const created = await call("CreateAction", { name, script });
    expect(created.stderr).toBe("");
    expect(created.exitCode).toBe(0);
    const createdJson = JSON.parse(created.stdout) as { id: string; details: Record<string, string> };
    expect(createdJson.id).toMatch(/^\d+$/);
    expect(createdJson.details).toMatchObject({ sequence: "1", resourceOwner: expect.stringMatching(/^\d+$/) });
    expect(createdJson.details.creationDate).toBe(createdJson.details.changeDate);

    const got = await call("GetAction", { id: createdJson.id });
    expect(got.exitCode).toBe(0);
    expect(JSON.parse(got.stdout)).toEqual({
      action: {
        id: createdJson.id,
        details: createdJson.details,
        state: "ACTION_STATE_ACTIVE",
        name,
        script,
        timeout: "20s",
      },
    });
  });

  it("fails an unknown id with NotFound and exits with the code shifted left by 3", async () => {
    const { exitCode, stdout, stderr } = await call("GetAction", { id: "123456789" });
    expect(exitCode).toBe(5 << 3); // gRPC NOT_FOUND = 5
    expect(stdout).toBe("");
    const error = JSON.parse(stderr) as { code: string; message: string; details: { type: string }[] };
    expect(error).toMatchObject({ code: "not_found", message: "Action not found (QUERY-GEfnb)" });
    expect(error.details.map((d) => d.type)).toEqual(["zitadel.v1.ErrorDetail"]);
  });
});
