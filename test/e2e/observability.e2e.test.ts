import { once } from "node:events";
import http from "node:http";
import net from "node:net";
import { setImmediate as nextTurn } from "node:timers/promises";
import { Code, ConnectError, createClient, type Interceptor, type Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExecutionService, Outcome } from "../../gen/actiond/v1/execution_pb.js";
import { PayloadType, ZitadelTargetService } from "../../gen/actiond/v1/zitadel_target_pb.js";
import { ManagementService } from "../../gen/zitadel/management/v1/management_pb.js";
import { loadConfig } from "../../src/config.js";
import { headerInterceptor } from "../support/management-clients.js";
import { growth, sample, type Samples, scrape } from "../support/metrics-text.js";
import { createOrgWithToken } from "../support/orgs.js";
import { startTestServer, type TestServer } from "../support/test-server.js";
import { postToTarget, signatureHeader } from "../support/zitadel-caller.js";
import { oidcPayload } from "../support/zitadel-v2-payloads.js";

// Issue 13, observability: /metrics counts what the log lines tell, /healthz and /readyz mirror the
// gRPC health service, and every call's log line and answer carry the same request id.

let server: TestServer;
let token: string;
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

beforeAll(async () => {
  // Two workers whatever the machine, and one run of an org at a time, so the pool's gauges have known values.
  server = await startTestServer({ execution: { ...loadConfig([], {}).execution, workers: 2, orgConcurrency: 1 } });
  ({ token } = await createOrgWithToken(server, ["ORG_OWNER"], "observed"));
}, 60_000);
afterAll(() => server?.close());

type Protocol = "grpc" | "grpc+json" | "grpc-web" | "connect";

function transport(protocol: Protocol, interceptors: Interceptor[]): Transport {
  const baseUrl = server.baseUrl;
  switch (protocol) {
    case "grpc":
      return createGrpcTransport({ baseUrl, interceptors });
    case "grpc+json": // not the fast path: connect-node serves it
      return createGrpcTransport({ baseUrl, interceptors, useBinaryFormat: false });
    case "grpc-web":
      return createGrpcWebTransport({ baseUrl, httpVersion: "1.1", interceptors });
    case "connect":
      return createConnectTransport({ baseUrl, httpVersion: "1.1", interceptors });
  }
}

const withToken = headerInterceptor(() => ({ authorization: `Bearer ${token}` }));
const management = (protocol: Protocol, auth = true) => createClient(ManagementService, transport(protocol, auth ? [withToken] : []));
const execution = () => createClient(ExecutionService, transport("grpc", [withToken]));
const codeOf = (call: Promise<unknown>) => call.then(() => "ok", (err: unknown) => Code[ConnectError.from(err).code]);
const rest = (path: string, auth = true) =>
  fetch(`${server.baseUrl}${path}`, { method: "POST", headers: auth ? { authorization: `Bearer ${token}` } : {}, body: "{}" });

const rpcOf = (method: string) => `zitadel.management.v1.ManagementService/${method}`;
const calls = (rpc: string, protocol: string, code: string) => sample("actiond_calls_total", { rpc, protocol, code });
const callCount = (rpc: string, protocol: string) => sample("actiond_call_duration_seconds_count", { rpc, protocol });
const runs = (outcome: string) => sample("actiond_action_runs_total", { outcome });
const gauge = (samples: Samples, name: string) => samples.get(name);

describe("/metrics", () => {
  it("counts every call once by RPC, protocol and code, as its log line says, with its latency", async () => {
    const before = await scrape(server.baseUrl);
    const fromLine = server.logs.length;

    for (const protocol of ["grpc", "grpc+json", "grpc-web", "connect"] as const) expect(await codeOf(management(protocol).listFlowTypes({}))).toBe("ok");
    expect(await codeOf(management("grpc").getAction({ id: "no-such-action" }))).toBe("NotFound");
    expect(await codeOf(management("grpc", false).listFlowTypes({}))).toBe("Unauthenticated");
    expect((await rest("/management/v1/flows/types/_search")).status).toBe(200);
    expect((await rest("/management/v1/flows/types/_search", false)).status).toBe(401);
    // grpc-web-text, as Google's grpc-web clients send it: an empty request message, base64.
    const text = await fetch(`${server.baseUrl}/${rpcOf("ListFlowTypes")}`, {
      method: "POST",
      headers: { "content-type": "application/grpc-web-text", "x-grpc-web": "1", authorization: `Bearer ${token}` },
      body: Buffer.from([0, 0, 0, 0, 0]).toString("base64"),
    });
    // Each chunk is base64 of its own, padded: decoded one by one, the last is the trailer frame.
    const chunks = (await text.text()).match(/[^=]+=*/g)!.map((chunk) => Buffer.from(chunk, "base64").toString("latin1"));
    expect(chunks.at(-1)).toMatch(/grpc-status: ?0\r\n/);

    const after = await scrape(server.baseUrl);
    const list = rpcOf("ListFlowTypes");
    expect(growth(before, after, "actiond_calls_total")).toEqual({
      [calls(list, "grpc", "ok")]: 2,
      [calls(list, "grpc", "Unauthenticated")]: 1,
      [calls(list, "grpc-web", "ok")]: 2,
      [calls(list, "connect", "ok")]: 1,
      [calls(list, "rest", "ok")]: 1,
      [calls(list, "rest", "Unauthenticated")]: 1,
      [calls(rpcOf("GetAction"), "grpc", "NotFound")]: 1,
    });
    expect(growth(before, after, "actiond_call_duration_seconds_count")).toEqual({
      [callCount(list, "grpc")]: 3,
      [callCount(list, "grpc-web")]: 2,
      [callCount(list, "connect")]: 1,
      [callCount(list, "rest")]: 2,
      [callCount(rpcOf("GetAction"), "grpc")]: 1,
    });
    // Every call fell in some bucket of 10 s or less.
    const inf = sample("actiond_call_duration_seconds_bucket", { rpc: list, protocol: "rest", le: "+Inf" });
    const tenSeconds = sample("actiond_call_duration_seconds_bucket", { rpc: list, protocol: "rest", le: "10" });
    expect(after.get(tenSeconds)! - (before.get(tenSeconds) ?? 0)).toBe(2);
    expect(after.get(inf)! - (before.get(inf) ?? 0)).toBe(2);

    // The log lines tell the same calls: one observer writes both.
    const lines = server.logs.slice(fromLine).filter((l) => l.msg === "call");
    expect(lines.map((l) => `${l.rpc} ${l.protocol} ${l.code}`).sort()).toEqual(
      [
        ...Array(2).fill(`${list} grpc ok`),
        `${list} grpc Unauthenticated`,
        ...Array(2).fill(`${list} grpc-web ok`),
        `${list} connect ok`,
        `${list} rest ok`,
        `${list} rest Unauthenticated`,
        `${rpcOf("GetAction")} grpc NotFound`,
      ].sort(),
    );
  });

  it("counts a call refused because the server holds too many request bytes", async () => {
    const before = await scrape(server.baseUrl);
    // A body declared larger than the whole request budget (64 MiB by default) is refused before a byte of it is sent.
    const req = http.request(`${server.baseUrl}/management/v1/flows/types/_search`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-length": String(100 * 1024 * 1024) },
    });
    req.flushHeaders();
    const [res] = (await once(req, "response")) as [http.IncomingMessage];
    req.destroy();
    expect(res.statusCode).toBe(429);
    const id = res.headers["x-request-id"];
    expect(id).toMatch(uuid);

    const after = await scrape(server.baseUrl);
    expect(growth(before, after, "actiond_calls_total")).toEqual({ [calls(rpcOf("ListFlowTypes"), "rest", "ResourceExhausted")]: 1 });
    expect(server.logs.filter((l) => l.requestId === id)).toEqual([expect.objectContaining({ msg: "call", code: "ResourceExhausted", protocol: "rest" })]);
  });

  it("counts action runs by outcome and the fetches the egress policy refused, by reason", async () => {
    const c = management("grpc");
    const fine = await c.createAction({ name: "fine", script: 'function fine(ctx, api) { api.v1.claims.setClaim("fine", true) }' });
    const fetches = await c.createAction({
      name: "fetchesLocalhost",
      script: 'function fetchesLocalhost() { require("zitadel/http").fetch("http://localhost:1/") }',
      allowedToFail: true,
    });
    await c.setTriggerActions({ flowType: "2", triggerType: "4", actionIds: [fine.id, fetches.id] });
    const before = await scrape(server.baseUrl);

    const { execution: record } = await execution().runTrigger({ flowType: "2", triggerType: "4", context: {} });
    expect(record?.runs.map((r) => r.outcome)).toEqual([Outcome.SUCCEEDED, Outcome.FAILED]);
    expect(record?.runs[1]?.error?.message).toContain("host localhost is denied");

    const after = await scrape(server.baseUrl);
    expect(growth(before, after, "actiond_action_runs_total")).toEqual({ [runs("succeeded")]: 1, [runs("failed")]: 1 });
    expect(growth(before, after, "actiond_action_run_duration_seconds_count")).toEqual({ actiond_action_run_duration_seconds_count: 2 });
    expect(growth(before, after, "actiond_egress_refusals_total")).toEqual({ [sample("actiond_egress_refusals_total", { reason: "host" })]: 1 });
  });

  it("reads the pool's queue, busy workers and workers at each scrape", async () => {
    const spin = { name: "spin", script: "function spin() { for (;;) {} }", timeout: { seconds: 1n }, flowType: "2", triggerType: "4", context: {} };
    const idle = await scrape(server.baseUrl);
    expect([gauge(idle, "actiond_pool_queued_runs"), gauge(idle, "actiond_pool_busy_workers"), gauge(idle, "actiond_pool_workers")]).toEqual([0, 0, 2]);

    // One org runs one action at a time: the second spin waits while the first runs.
    const spins = [execution().testAction(spin), execution().testAction(spin)];
    const load = async () => {
      const now = await scrape(server.baseUrl);
      return [gauge(now, "actiond_pool_queued_runs"), gauge(now, "actiond_pool_busy_workers"), gauge(now, "actiond_pool_workers")];
    };
    await expect.poll(load, { timeout: 5_000, interval: 20 }).toEqual([1, 1, 2]);
    for (const { execution: record } of await Promise.all(spins)) expect(record?.runs[0]?.outcome).toBe(Outcome.TIMED_OUT);
    expect(await load()).toEqual([0, 0, 2]);
  });

  it("counts a worker the watchdog replaced", async () => {
    const before = await scrape(server.baseUrl);
    // JSON.stringify of 3e5 objects runs in C for most of a second, out of reach of the interrupt handler
    // (src/runtime/hostile-cpu.test.ts): past the 50 ms deadline and the grace period, the watchdog ends it.
    const busy = { name: "busy", script: "function busy() { const a = Array(3e5).fill({ a: 1 }); for (;;) JSON.stringify(a); }" };
    const { execution: record } = await execution().testAction({ ...busy, timeout: { nanos: 50_000_000 }, flowType: "2", triggerType: "4", context: {} });
    expect(record?.runs[0]?.error?.message).toContain("it was terminated");

    const after = await scrape(server.baseUrl);
    expect(growth(before, after, "actiond_pool_worker_replacements_total")).toEqual({ [sample("actiond_pool_worker_replacements_total", { cause: "watchdog" })]: 1 });
    expect(growth(before, after, "actiond_action_runs_total")).toEqual({ [runs("timed_out")]: 1 });
    await expect.poll(async () => gauge(await scrape(server.baseUrl), "actiond_pool_workers"), { timeout: 10_000 }).toBe(2);
  });

  it("counts calls from ZITADEL to a target's endpoint by result", async () => {
    const admin = createClient(ZitadelTargetService, transport("grpc", [headerInterceptor(() => ({ authorization: `Bearer ${server.adminToken}` }))]));
    const key = "observability-signing-key-0123456789abcdef";
    const org = await createOrgWithToken(server, ["ORG_OWNER"], "zitadel org");
    const { target } = await admin.createZitadelTarget({ name: "observed target", payloadType: PayloadType.JSON, signingKeys: [key], orgId: org.orgId });
    const body = JSON.stringify(oidcPayload());
    const before = await scrape(server.baseUrl);
    const fromLine = server.logs.length;

    const answered = await postToTarget(server.baseUrl, target!.id, body, { "zitadel-signature": signatureHeader(body, key) });
    expect(answered.status).toBe(200);
    const refused = await postToTarget(server.baseUrl, target!.id, body, { "zitadel-signature": signatureHeader(body, "not-the-key") });
    expect(refused.json).toMatchObject({ error: "bad-signature" });

    const after = await scrape(server.baseUrl);
    const result = (r: string) => sample("actiond_zitadel_target_calls_total", { result: r });
    expect(growth(before, after, "actiond_zitadel_target_calls_total")).toEqual({ [result("answered")]: 1, [result("bad-signature")]: 1 });
    expect(growth(before, after, "actiond_zitadel_target_call_duration_seconds_count")).toEqual({ actiond_zitadel_target_call_duration_seconds_count: 2 });
    // Their log lines carry the request id each answer carried.
    const lines = server.logs.slice(fromLine).filter((l) => String(l.msg).startsWith("ZITADEL target call"));
    expect(lines).toEqual([
      expect.objectContaining({ msg: "ZITADEL target call", result: "answered", requestId: answered.headers.get("x-request-id") }),
      expect.objectContaining({ msg: "ZITADEL target call refused", reason: "bad-signature", requestId: refused.headers.get("x-request-id") }),
    ]);
    expect(answered.headers.get("x-request-id")).toMatch(uuid);
  });

  it("needs no token, is never cached, and is Prometheus' text format with the process's own metrics", async () => {
    const res = await fetch(`${server.baseUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("no-store");
    const text = await res.text();
    for (const name of ["actiond_calls_total counter", "actiond_call_duration_seconds histogram", "process_cpu_seconds_total counter", "nodejs_eventloop_lag_seconds gauge"]) {
      expect(text).toContain(`# TYPE ${name}`);
    }
  });
});

describe("/healthz and /readyz", () => {
  it("answer 200 while the server serves, GET or HEAD, without a token", async () => {
    for (const path of ["/healthz", "/readyz"]) {
      const res = await fetch(server.baseUrl + path);
      expect([res.status, res.headers.get("cache-control")], path).toEqual([200, "no-store"]);
      expect((await fetch(server.baseUrl + path, { method: "HEAD" })).status, path).toBe(200);
    }
  });

  it("/readyz answers 503 from the moment shutdown starts", async () => {
    const closing = await startTestServer();
    const socket = net.connect(closing.app.address.port, "127.0.0.1");
    await once(socket, "connect");
    const responses = responsesOf(socket);
    const ask = (path: string) => `GET ${path} HTTP/1.1\r\nHost: actiond\r\n`;
    socket.write(ask("/readyz") + "\r\n");
    expect(await responses.next()).toMatch(/^HTTP\/1\.1 200 /);
    // Half a request on a kept-alive connection: shutdown waits for it, as for any request in progress.
    await new Promise<void>((resolve) => socket.write(ask("/readyz"), () => resolve()));
    for (let turn = 0; turn < 3; turn++) await nextTurn(); // the server has read it
    const closed = closing.close();
    socket.write("\r\n");
    expect(await responses.next()).toMatch(/^HTTP\/1\.1 503 [^]*\r\n\r\nnot ready\n$/);
    await closed;
    socket.destroy();
  });
});

describe("the request id", () => {
  /** A call's answer headers and the one log line with its id. */
  async function grpcCall(headers: Record<string, string>, auth = true) {
    let answered: Headers | undefined;
    // A refusal is gRPC's trailers-only answer: its one header block reaches connect as the error's metadata.
    const call = management("grpc", auth).listFlowTypes({}, { headers, onHeader: (h) => (answered = h) });
    const code = await codeOf(call.catch((err: unknown) => Promise.reject(((answered = ConnectError.from(err).metadata), err))));
    const id = answered?.get("x-request-id") ?? undefined;
    return { code, id, lines: server.logs.filter((l) => l.msg === "call" && l.requestId === id) };
  }

  it("keeps a sane id a proxy sent, answers it and logs it with the call", async () => {
    const { code, id, lines } = await grpcCall({ "x-request-id": "proxy-7f3a/1" });
    expect([code, id]).toEqual(["ok", "proxy-7f3a/1"]);
    expect(lines).toEqual([expect.objectContaining({ rpc: rpcOf("ListFlowTypes"), protocol: "grpc", code: "ok" })]);
  });

  it("replaces an id that is not sane by a fresh one", async () => {
    for (const sent of ["with space", "x".repeat(129)]) {
      const { code, id, lines } = await grpcCall({ "x-request-id": sent });
      expect(code).toBe("ok");
      expect(id).toMatch(uuid);
      expect(lines).toHaveLength(1);
    }
  });

  it("gives every protocol's answer, a refused one too, the id of its log line", async () => {
    const refused = await grpcCall({}, false);
    expect(refused.code).toBe("Unauthenticated");
    expect(refused.id).toMatch(uuid);
    expect(refused.lines).toEqual([expect.objectContaining({ code: "Unauthenticated", protocol: "grpc" })]);

    for (const protocol of ["grpc-web", "connect"] as const) {
      let id: string | null | undefined;
      await management(protocol).listFlowTypes({}, { onHeader: (h) => (id = h.get("x-request-id")) });
      expect(id, protocol).toMatch(uuid);
      expect(server.logs.filter((l) => l.requestId === id)).toEqual([expect.objectContaining({ msg: "call", protocol })]);
    }
    const viaRest = await rest("/management/v1/flows/types/_search");
    const id = viaRest.headers.get("x-request-id");
    expect(id).toMatch(uuid);
    expect(server.logs.filter((l) => l.requestId === id)).toEqual([expect.objectContaining({ msg: "call", protocol: "rest", code: "ok" })]);
  });
});

/** The HTTP/1.1 responses read off a raw socket, one at a time, each whole (status line to the end of its body). */
function responsesOf(socket: net.Socket) {
  let buffered = "";
  let wake: (() => void) | undefined;
  socket.setEncoding("latin1");
  socket.on("data", (chunk: string) => {
    buffered += chunk;
    wake?.();
  });
  return {
    async next(): Promise<string> {
      for (;;) {
        const head = buffered.indexOf("\r\n\r\n");
        const length = Number(/\r\ncontent-length: (\d+)/i.exec(buffered.slice(0, head))?.[1]);
        if (head !== -1 && buffered.length >= head + 4 + length) {
          const response = buffered.slice(0, head + 4 + length);
          buffered = buffered.slice(response.length);
          return response;
        }
        await new Promise<void>((resolve) => (wake = resolve));
      }
    },
  };
}
