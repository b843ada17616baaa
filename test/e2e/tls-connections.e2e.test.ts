import fs from "node:fs";
import http2 from "node:http2";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import tls from "node:tls";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import type { ConnectionLimits } from "../../src/transport/limits.js";
import { rawGrpcOn } from "../support/raw-grpc.js";
import { createTestCertificate, type TestCertificate } from "../support/test-certificates.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

// The connection limits (docs/transport.md, Limits) hold over TLS as they do
// in cleartext. Limits are lowered so the test is quick; every other wait is
// generous, so a busy machine does not fail it.

let dir: string;
let cert: TestCertificate;
const servers: TestServer[] = [];
const sockets: net.Socket[] = [];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "actiond-tls-limits-"));
  cert = await createTestCertificate(dir, "limits");
});

afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  for (const s of servers.splice(0)) await s.close();
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function tlsServerWith(limits: Partial<ConnectionLimits>): Promise<TestServer> {
  const defaults = loadConfig([], {}).connections;
  const server = await startTestServer({ tls: { certFile: cert.certFile, keyFile: cert.keyFile }, connections: { ...defaults, ...limits }, shutdownGraceMs: 1_000 });
  servers.push(server);
  return server;
}

/** Resolves when `socket` closes; it is read, or it would never see the server's FIN. */
function closed(socket: net.Socket): Promise<void> {
  sockets.push(socket);
  socket.on("error", () => {});
  socket.resume();
  return new Promise((resolve) => socket.once("close", () => resolve()));
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms))]);
}

describe("connection limits over TLS", () => {
  it("closes a connection that never shakes hands, and one that shakes hands but asks nothing, after the first-bytes timeout", async () => {
    const server = await tlsServerWith({ firstBytesTimeoutMs: 1_000 });
    const port = server.app.address.port;
    const silent = net.connect(port, "127.0.0.1");
    const silentClosed = closed(silent);
    const mute = tls.connect({ host: "127.0.0.1", port, ca: cert.pem, ALPNProtocols: ["h2"] });
    const muteClosed = closed(mute);
    await new Promise((resolve) => mute.once("secureConnect", resolve));
    expect(mute.alpnProtocol).toBe("h2");
    await within(Promise.all([silentClosed, muteClosed]), 10_000, "silent connections closed");
    await expect.poll(() => server.app.load().connections, { timeout: 5_000 }).toBe(0);
  });

  it("keeps no table entry of a failed handshake", async () => {
    const server = await tlsServerWith({});
    const plain = net.connect(server.app.address.port, "127.0.0.1");
    const plainClosed = closed(plain);
    plain.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    const untrusting = tls.connect({ host: "127.0.0.1", port: server.app.address.port }); // no ca: it refuses the certificate
    const untrustingClosed = closed(untrusting);
    await within(Promise.all([plainClosed, untrustingClosed]), 10_000, "failed handshakes closed");
    await expect.poll(() => server.app.load().connections, { timeout: 5_000 }).toBe(0);
  });

  it("closes an idle HTTP/2 session", async () => {
    const server = await tlsServerWith({ idleTimeoutMs: 1_000 });
    const idle = http2.connect(server.baseUrl, { ca: cert.pem });
    idle.on("error", () => {});
    const idleClosed = new Promise<void>((resolve) => idle.once("close", () => resolve()));
    expect(await rawGrpcOn(idle, "/grpc.health.v1.Health/Check")).toBe("0");
    await within(idleClosed, 10_000, "idle session closed");
  });

  it("sends GOAWAY to an open HTTP/2 session on shutdown", async () => {
    const server = await tlsServerWith({});
    const open = http2.connect(server.baseUrl, { ca: cert.pem });
    open.on("error", () => {});
    const goaway = new Promise<void>((resolve) => open.once("goaway", () => resolve()));
    const openClosed = new Promise<void>((resolve) => open.once("close", () => resolve()));
    expect(await rawGrpcOn(open, "/grpc.health.v1.Health/Check")).toBe("0");
    await within(server.app.close(), 10_000, "shutdown");
    await within(Promise.all([goaway, openClosed]), 5_000, "GOAWAY and close");
  });
});
