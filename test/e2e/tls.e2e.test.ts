import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManagementService } from "../../gen/zitadel/management/v1/management_pb.js";
import { grpcJsCaller, headerInterceptor } from "../support/management-clients.js";
import { envelope } from "../support/raw-grpc.js";
import { createTestCertificate, type TestCertificate } from "../support/test-certificates.js";
import { startTestServer, type TestServer } from "../support/test-server.js";
import type { WireError } from "../support/wire-error.js";

// Issue 13: with --tls-cert and --tls-key the one port serves TLS, and ALPN
// picks HTTP/2 or HTTP/1.1. Clients here verify the certificate: none is told
// to skip the check.

let dir: string;
let cert: TestCertificate;
let server: TestServer;
let auth: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "actiond-tls-e2e-"));
  cert = await createTestCertificate(dir, "actiond-e2e");
  server = await startTestServer({ tls: { certFile: cert.certFile, keyFile: cert.keyFile } });
  auth = `Bearer ${server.adminToken}`;
});

afterAll(async () => {
  await server?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** curl verifying the server against the test certificate; resolves with the body and the HTTP version it used. */
async function curl(args: string[]): Promise<{ body: string; httpVersion: string }> {
  // Async: the server runs in this process, a blocking child would stall it.
  const { stdout } = await promisify(execFile)("curl", ["-sS", "--fail-with-body", "--cacert", cert.certFile, "-w", "\n%{http_version}", ...args], {
    encoding: "latin1",
  });
  const cut = stdout.lastIndexOf("\n");
  return { body: stdout.slice(0, cut), httpVersion: stdout.slice(cut + 1) };
}

describe("TLS on the one port", () => {
  it("says so in its listening line and serves https://", () => {
    expect(server.logs.find((l) => l.msg === "actiond listening")).toMatchObject({ tls: true });
    expect(server.logs.find((l) => l.msg === "loaded TLS certificate")).toMatchObject({ subject: "CN=actiond-e2e", fingerprint256: cert.fingerprint256 });
    expect(server.baseUrl).toBe(`https://${server.target}`);
  });

  it("serves gRPC over TLS to grpc-js", async () => {
    const caller = grpcJsCaller(server.target, grpc.credentials.createSsl(cert.pem));
    try {
      const { id } = await caller.call("createAction", { name: "overTls", script: "function overTls(ctx, api) {}" }, { authorization: auth });
      expect((await caller.call("getAction", { id }, { authorization: auth })).action?.name).toBe("overTls");
    } finally {
      caller.close();
    }
  });

  it("serves REST to curl over HTTP/1.1 and HTTP/2, as ALPN agreed", async () => {
    const caller = grpcJsCaller(server.target, grpc.credentials.createSsl(cert.pem));
    const { id } = await caller.call("createAction", { name: "viaCurl", script: "function viaCurl(ctx, api) {}" }, { authorization: auth });
    caller.close();
    for (const [flag, version] of [["--http1.1", "1.1"], ["--http2", "2"]] as const) {
      const got = await curl([flag, "-H", `authorization: ${auth}`, `${server.baseUrl}/management/v1/actions/${id}`]);
      expect(got.httpVersion, flag).toBe(version);
      expect(JSON.parse(got.body).action.name, flag).toBe("viaCurl");
      const search = await curl([flag, "-H", `authorization: ${auth}`, "-H", "content-type: application/json", "-d", "{}", `${server.baseUrl}/management/v1/actions/_search`]);
      expect(search.httpVersion, flag).toBe(version);
      expect(JSON.parse(search.body).result.map((a: { name: string }) => a.name), flag).toContain("viaCurl");
    }
  });

  it("serves gRPC-Web and Connect over HTTPS", async () => {
    const frame = path.join(dir, "health-check.bin");
    fs.writeFileSync(frame, envelope(new Uint8Array()));
    for (const [flag, version] of [["--http1.1", "1.1"], ["--http2", "2"]] as const) {
      const got = await curl([flag, "-H", "content-type: application/grpc-web+proto", "-H", "x-grpc-web: 1", "--data-binary", `@${frame}`, `${server.baseUrl}/grpc.health.v1.Health/Check`]);
      expect(got.httpVersion, flag).toBe(version);
      // A message frame (status SERVING), then the trailer frame flagged 0x80.
      expect(got.body, flag).toContain("\x00\x00\x00\x00\x02\x08\x01\x80");
      expect(got.body, flag).toMatch(/grpc-status: ?0\r\n/);
    }
    const interceptors = [headerInterceptor(() => ({ authorization: auth }))];
    const grpcWeb = createClient(ManagementService, createGrpcWebTransport({ baseUrl: server.baseUrl, httpVersion: "1.1", nodeOptions: { ca: cert.pem }, interceptors }));
    expect((await grpcWeb.listActions({})).result.length).toBeGreaterThan(0);
    const connectH2 = createClient(ManagementService, createConnectTransport({ baseUrl: server.baseUrl, httpVersion: "2", nodeOptions: { ca: cert.pem }, interceptors }));
    expect((await connectH2.listActions({})).result.length).toBeGreaterThan(0);
  });

  it("answers nothing in cleartext on the TLS port, and keeps no connection of it", async () => {
    // Clients of the tests before may keep idle connections open.
    const before = server.app.load().connections;
    await expect(promisify(execFile)("curl", ["-sS", "--http1.1", `http://${server.target}/management/v1/actions/_search`])).rejects.toMatchObject({ stdout: "" });
    const plain = grpcJsCaller(server.target);
    const refused = await plain.call("listActions", {}, { authorization: auth }).catch((err: WireError) => err);
    plain.close();
    expect(refused).toMatchObject({ code: grpc.status.UNAVAILABLE });
    await expect.poll(() => server.app.load().connections, { timeout: 5_000 }).toBeLessThanOrEqual(before);
  });
});
