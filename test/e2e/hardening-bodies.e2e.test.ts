import http from "node:http";
import http2 from "node:http2";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import type { Config } from "../../src/config.js";
import { envelope } from "../support/raw-grpc.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

// Issue 9, item 2: bodies are not buffered for strangers, and what callers
// with a token may hold is bounded. Sizes are small so it runs in seconds;
// the figures at the old sizes are in the closing note.

const servers: TestServer[] = [];
const sessions: http2.ClientHttp2Session[] = [];

afterEach(async () => {
  for (const s of sessions.splice(0)) s.destroy();
  for (const s of servers.splice(0)) await s.close();
});

async function server(overrides: Partial<Config> = {}): Promise<TestServer> {
  const s = await startTestServer(overrides);
  servers.push(s);
  return s;
}

function session(s: TestServer): http2.ClientHttp2Session {
  const c = http2.connect(s.baseUrl);
  c.on("error", () => {});
  sessions.push(c);
  return c;
}

const listFlowTypes = "/zitadel.management.v1.ManagementService/ListFlowTypes";
const chunk = Buffer.alloc(64 * 1024, 1);

interface Answer {
  status?: string;
  message?: string;
  rstCode?: number;
}

/**
 * A gRPC call whose body is `bytes` long and never ends: chunks are written as
 * fast as flow control allows, so the client itself holds little. Resolves
 * when the server has answered or reset the stream.
 */
function endlessCall(c: http2.ClientHttp2Session, headers: http2.OutgoingHttpHeaders, bytes: number): Promise<Answer> {
  const stream = c.request({ ":method": "POST", ":path": listFlowTypes, "content-type": "application/grpc", te: "trailers", ...headers });
  const answer: Answer = {};
  const take = (h: http2.IncomingHttpHeaders) => {
    answer.status ??= h["grpc-status"] as string | undefined;
    answer.message ??= h["grpc-message"] as string | undefined;
  };
  stream.on("response", take).on("trailers", take).on("data", () => {});
  stream.on("error", () => {});
  let sent = 0;
  const pump = () => {
    while (sent < bytes && !stream.closed) {
      sent += chunk.length;
      if (!stream.write(chunk)) return;
    }
  };
  stream.write(envelope(new Uint8Array(0)).subarray(0, 1)); // a message header that promises more
  stream.on("drain", pump);
  pump();
  return new Promise((resolve) => stream.once("close", () => resolve({ ...answer, rstCode: stream.rstCode })));
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms))]);
}

/** A request over HTTP/1.1 whose chunked body never ends; resolves with the answer and whether the connection closed. */
function endlessH1(s: TestServer, path: string, headers: http.OutgoingHttpHeaders): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${s.baseUrl}${path}`, { method: "POST", headers: { ...headers, "transfer-encoding": "chunked" } });
    req.on("error", () => {});
    req.on("response", (res) => {
      const parts: Buffer[] = [];
      res.on("data", (d: Buffer) => parts.push(d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) }));
      res.on("error", reject);
    });
    const pump = () => {
      while (!req.destroyed && req.write(chunk));
    };
    req.on("drain", pump);
    pump();
  });
}

describe("request bodies", () => {
  it("answers a stranger's never-ending gRPC stream Unauthenticated at once, and holds none of it", async () => {
    const s = await server();
    const c = session(s);
    const rssBefore = process.memoryUsage().rss;
    // 100 streams of up to 3.9 MiB each, no token: before, the server buffered every byte of them.
    const answers = await within(
      Promise.all(Array.from({ length: 100 }, () => endlessCall(c, {}, 3.9 * 1024 * 1024))),
      20_000,
      "every stranger answered",
    );
    for (const a of answers) {
      expect(a).toEqual({ status: "16", message: "auth%20header%20missing%20(AUTH-header-missing)", rstCode: http2.constants.NGHTTP2_NO_ERROR });
    }
    expect(s.app.load().heldRequestBytes).toBe(0);
    // A sanity bound, loose because this process is the client too: buffering them would take 390 MiB.
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(100 * 1024 * 1024);
    const bad = await endlessCall(c, { authorization: "Bearer nonsense" }, 1024 * 1024);
    expect(bad).toMatchObject({ status: "16", message: "Token%20is%20invalid%20(AUTH-7fs1e)" });
  });

  it("answers strangers before their body on HTTP/1.1, in each protocol's form", async () => {
    const s = await server();
    const connect = await within(endlessH1(s, listFlowTypes, { "content-type": "application/json" }), 10_000, "Connect");
    expect(connect.status).toBe(401);
    expect(JSON.parse(connect.body.toString())).toMatchObject({ code: "unauthenticated", message: "auth header missing (AUTH-header-missing)" });

    const web = await within(endlessH1(s, listFlowTypes, { "content-type": "application/grpc-web+proto" }), 10_000, "gRPC-Web");
    expect(web.status).toBe(200);
    expect(web.body.subarray(5).toString()).toContain("grpc-status: 16\r\n");

    const rest = await within(endlessH1(s, "/management/v1/actions/_search", { "content-type": "application/json" }), 10_000, "REST");
    expect(rest.status).toBe(401);
    expect(JSON.parse(rest.body.toString())).toEqual({
      code: 16,
      message: "auth header missing (AUTH-header-missing)",
      details: [{ "@type": "type.googleapis.com/zitadel.v1.ErrorDetail", id: "AUTH-header-missing", message: "auth header missing" }],
    });
    expect(s.app.load().heldRequestBytes).toBe(0);
  });

  it("holds no more request bytes than its budget across the process, and refuses beyond it", async () => {
    const budget = 1024 * 1024;
    const s = await server({ maxMessageBytes: 512 * 1024, requestBufferBytes: budget });
    const token = { authorization: `Bearer ${s.adminToken}` };
    const c = session(s);
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, s.app.load().heldRequestBytes)), 2);
    // Four callers with a token, each sending 448 KiB that never ends: two fit in the budget.
    const settled: Answer[] = [];
    for (let i = 0; i < 4; i++) void endlessCall(c, token, 7 * chunk.length).then((a) => settled.push(a));
    await expect.poll(() => settled.length, { timeout: 10_000 }).toBe(2);
    // Those that crossed the line were reset, which clients read as ResourceExhausted.
    expect(settled.map((a) => a.rstCode)).toEqual([http2.constants.NGHTTP2_ENHANCE_YOUR_CALM, http2.constants.NGHTTP2_ENHANCE_YOUR_CALM]);
    await expect.poll(() => s.app.load().heldRequestBytes, { timeout: 10_000 }).toBe(2 * (7 * chunk.length + 1));

    // A body declared too large for what is left is refused before a byte of it is read.
    const rest = await fetch(`${s.baseUrl}/management/v1/actions/_search`, { method: "POST", headers: token, body: Buffer.alloc(256 * 1024, 32) });
    expect(rest.status).toBe(429);
    expect(await rest.json()).toMatchObject({ code: 8 });
    clearInterval(sampler);
    expect(peak).toBeLessThanOrEqual(budget);

    c.destroy();
    await expect.poll(() => s.app.load().heldRequestBytes, { timeout: 5_000 }).toBe(0);
    const after = await fetch(`${s.baseUrl}/management/v1/actions/_search`, { method: "POST", headers: token, body: Buffer.alloc(256 * 1024, 32) });
    expect(after.status).toBe(200);
  });

  it("limits the streams of one HTTP/2 session", async () => {
    const defaults = loadConfig([], {}).connections;
    const s = await server({ connections: { ...defaults, maxStreamsPerSession: 5 } });
    const c = session(s);
    await new Promise<void>((resolve) => c.once("remoteSettings", () => resolve()));
    expect(c.remoteSettings.maxConcurrentStreams).toBe(5);
  });
});
