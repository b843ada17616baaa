import http2 from "node:http2";
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import type { ConnectionLimits } from "../../src/transport/limits.js";
import { envelope, rawGrpc, rawGrpcOn } from "../support/raw-grpc.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

// Issue 9, item 1: idle connections cannot exhaust the server. The limits are
// lowered here so that floods of tens of sockets stand in for tens of
// thousands; every other wait is generous, so a busy machine does not fail them.

const servers: TestServer[] = [];
const sockets: net.Socket[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  for (const s of servers.splice(0)) await s.close();
});

async function serverWith(limits: Partial<ConnectionLimits>): Promise<TestServer> {
  const defaults = loadConfig([], {}).connections;
  const server = await startTestServer({ connections: { ...defaults, ...limits }, shutdownGraceMs: 1_000 });
  servers.push(server);
  return server;
}

/** A client socket that has connected, and a promise of its close. */
async function connect(server: TestServer): Promise<{ socket: net.Socket; closed: Promise<void> }> {
  const socket = net.connect(server.app.address.port, "127.0.0.1");
  sockets.push(socket);
  socket.on("error", () => {});
  socket.resume(); // an unread socket never sees the server's FIN, so it would never close
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
  return { socket, closed };
}

function open(ms: number): Promise<"open"> {
  return new Promise((resolve) => setTimeout(() => resolve("open"), ms));
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms))]);
}

/** What the server answered on a raw HTTP/1.1 socket, once it closes. */
function received(socket: net.Socket): Promise<string> {
  let text = "";
  socket.on("data", (chunk: Buffer) => (text += chunk.toString("latin1")));
  return new Promise((resolve) => socket.once("close", () => resolve(text)));
}

const health = "/grpc.health.v1.Health/Check";

describe("connection limits", () => {
  it("closes connections that send nothing within the first-bytes timeout", async () => {
    // Long enough that all 20 are open together even when connecting them is slow on a busy machine.
    const server = await serverWith({ firstBytesTimeoutMs: 2000 });
    const silent = await Promise.all(Array.from({ length: 20 }, () => connect(server)));
    await expect.poll(() => server.app.load().connections).toBe(20);
    await within(Promise.all(silent.map((s) => s.closed)), 10_000, "silent sockets closed");
    await expect.poll(() => server.app.load().connections, { timeout: 5_000 }).toBe(0);
  });

  it("closes an idle HTTP/1.1 keep-alive connection and an idle HTTP/2 session", async () => {
    const server = await serverWith({ idleTimeoutMs: 500 });
    const h1 = await connect(server);
    const h1Answer = received(h1.socket);
    h1.socket.write(`GET /management/v1/nowhere HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n`);
    await within(h1.closed, 5_000, "idle keep-alive closed");
    expect(await h1Answer).toMatch(/^HTTP\/1\.1 404 /);

    const session = http2.connect(server.baseUrl);
    session.on("error", () => {});
    const sessionClosed = new Promise<void>((resolve) => session.once("close", () => resolve()));
    const answer = await rawGrpcOn(session, health);
    expect(answer).toBe("0");
    await within(sessionClosed, 5_000, "idle HTTP/2 session closed");
  });

  it("closes a request whose headers or body do not arrive in time", async () => {
    const server = await serverWith({ headersTimeoutMs: 300, requestTimeoutMs: 600 });
    const slowHeaders = await connect(server);
    slowHeaders.socket.write(`POST /management/v1/actions/_search HTTP/1.1\r\nHost: x\r\n`);
    const slowBody = await connect(server);
    const bodyAnswer = received(slowBody.socket);
    slowBody.socket.write(
      `POST /management/v1/actions/_search HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${server.adminToken}\r\nContent-Length: 100\r\n\r\n{`,
    );
    await within(Promise.all([slowHeaders.closed, slowBody.closed]), 5_000, "slow HTTP/1.1 requests closed");
    expect(await bodyAnswer).toMatch(/^HTTP\/1\.1 408 /);

    // HTTP/2: a stream whose body never ends is reset; its session lives on.
    const session = http2.connect(server.baseUrl);
    session.on("error", () => {});
    const stream = session.request({
      ":method": "POST",
      ":path": "/zitadel.management.v1.ManagementService/ListFlowTypes",
      "content-type": "application/grpc",
      authorization: `Bearer ${server.adminToken}`,
    });
    stream.on("error", () => {});
    stream.write(envelope(new Uint8Array()).subarray(0, 3));
    const reset = new Promise<number>((resolve) => stream.once("close", () => resolve(stream.rstCode ?? -1)));
    expect(await within(reset, 5_000, "slow HTTP/2 stream reset")).toBe(http2.constants.NGHTTP2_CANCEL);
    expect(await rawGrpcOn(session, health)).toBe("0");
    session.close();
  });

  it("at the cap, closes idle connections first and keeps serving callers with work", async () => {
    const cap = 30;
    const server = await serverWith({ maxConnections: cap, firstBytesTimeoutMs: 60_000, requestTimeoutMs: 60_000 });
    // A caller with work: a stream whose body is still arriving.
    const busy = http2.connect(server.baseUrl);
    busy.on("error", () => {});
    const busyClosed = new Promise<void>((resolve) => busy.once("close", () => resolve()));
    const pending = busy.request({ ":method": "POST", ":path": health, "content-type": "application/grpc" });
    pending.on("error", () => {});
    pending.write(Buffer.from([0]));
    await expect.poll(() => server.app.load().connections).toBe(1);

    const silent = await Promise.all(Array.from({ length: cap * 2 }, () => connect(server)));
    expect(server.app.load().connections).toBeLessThanOrEqual(cap);
    // Each new caller is served, every time on a new connection, while the flood holds the cap.
    for (let i = 0; i < 5; i++) {
      expect((await rawGrpc(server.baseUrl, health, envelope(new Uint8Array()))).grpcStatus).toBe("0");
      expect(server.app.load().connections).toBeLessThanOrEqual(cap);
    }
    // The oldest silent sockets made room: all but the newest few are gone.
    await within(Promise.all(silent.slice(0, cap).map((s) => s.closed)), 5_000, "the oldest silent sockets closed");
    // The caller with work was never chosen.
    expect(await Promise.race([busyClosed.then(() => "closed"), open(200)])).toBe("open");
    pending.end(Buffer.alloc(5 - 1));
    busy.close();
  });
});

