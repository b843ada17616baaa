import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import http2 from "node:http2";
import { gunzipSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateActionRequestSchema,
  CreateActionResponseSchema,
  GetActionRequestSchema,
  GetActionResponseSchema,
} from "../../gen/zitadel/management/v1/management_pb.js";
import { envelope, rawGrpc } from "../support/raw-grpc.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

// Unary gRPC and gRPC-Web have their own lean path (src/transport/unary-handler.ts); these pin its wire to connect-node's.
let server: TestServer;
let auth: Record<string, string>;
const svc = "/zitadel.management.v1.ManagementService";
const longScript = `function big(ctx, api) {}\n// ${"x".repeat(4_000)}`;

beforeAll(async () => {
  server = await startTestServer();
  auth = { authorization: `Bearer ${server.adminToken}` };
});

afterAll(() => server.close());

const createRequest = (name: string, script = `function ${name}(ctx, api) {}`) =>
  Buffer.from(toBinary(CreateActionRequestSchema, create(CreateActionRequestSchema, { name, script })));

/** The one enveloped message of an answer, decompressed when its flag says so. */
function payloadOf(body: Buffer): { flags: number; payload: Buffer } {
  expect(body.length).toBeGreaterThanOrEqual(5);
  const flags = body.readUInt8(0);
  const length = body.readUInt32BE(1);
  expect(body.length).toBe(5 + length);
  const payload = body.subarray(5);
  return { flags, payload: flags === 1 ? gunzipSync(payload) : payload };
}

async function createAction(name: string, script?: string): Promise<string> {
  const res = await rawGrpc(server.baseUrl, `${svc}/CreateAction`, envelope(createRequest(name, script)), auth);
  expect(res.grpcStatus).toBe("0");
  return fromBinary(CreateActionResponseSchema, payloadOf(res.body).payload).id;
}

describe("unary gRPC on the wire", () => {
  it("answers 200, application/grpc+proto, one message and grpc-status 0 in the trailers", async () => {
    const id = await createAction("plain");
    const res = await rawGrpc(server.baseUrl, `${svc}/GetAction`, envelope(toBinary(GetActionRequestSchema, create(GetActionRequestSchema, { id }))), auth);
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("application/grpc+proto");
    expect(res.trailers["grpc-status"]).toBe("0");
    const { flags, payload } = payloadOf(res.body);
    expect(flags).toBe(0);
    expect(fromBinary(GetActionResponseSchema, payload).action?.name).toBe("plain");
  });

  it("reads gzip requests, and gzips large answers for a client that accepts it", async () => {
    const compressed = envelope(gzipSync(createRequest("big", longScript)), 1);
    const created = await rawGrpc(server.baseUrl, `${svc}/CreateAction`, compressed, { ...auth, "grpc-encoding": "gzip", "grpc-accept-encoding": "gzip" });
    expect(created.grpcStatus).toBe("0");
    const id = fromBinary(CreateActionResponseSchema, payloadOf(created.body).payload).id;

    const get = envelope(toBinary(GetActionRequestSchema, create(GetActionRequestSchema, { id })));
    const zipped = await rawGrpc(server.baseUrl, `${svc}/GetAction`, get, { ...auth, "grpc-accept-encoding": "gzip" });
    expect(zipped.headers["grpc-encoding"]).toBe("gzip");
    const answer = payloadOf(zipped.body);
    expect(answer.flags).toBe(1);
    expect(fromBinary(GetActionResponseSchema, answer.payload).action?.script).toBe(longScript);

    const plain = await rawGrpc(server.baseUrl, `${svc}/GetAction`, get, auth);
    expect(payloadOf(plain.body).flags).toBe(0);
  });

  it("refuses what it cannot read with connect-node's codes, and creates nothing", async () => {
    const cases: [string, Buffer, Record<string, string>, string, RegExp][] = [
      ["unknown encoding", envelope(createRequest("w1")), { "grpc-encoding": "snappy" }, "12", /unknown compression "snappy"/],
      ["compressed flag, no encoding", envelope(createRequest("w2"), 1), {}, "13", /do not know how to decompress/],
      ["no message", Buffer.alloc(0), {}, "12", /missing input message/],
      ["two messages", Buffer.concat([envelope(createRequest("w3")), envelope(createRequest("w4"))]), {}, "12", /extra input message/],
      ["short envelope", Buffer.from([0, 0, 0]), {}, "3", /incomplete envelope/],
      ["bad gzip", envelope(Buffer.from("not gzip"), 1), { "grpc-encoding": "gzip" }, "3", /./],
      ["bad grpc-timeout", envelope(createRequest("w5")), { "grpc-timeout": "soon" }, "3", /invalid grpc timeout value/],
    ];
    for (const [what, body, headers, code, message] of cases) {
      const res = await rawGrpc(server.baseUrl, `${svc}/CreateAction`, body, { ...auth, ...headers });
      expect({ what, status: res.status, code: res.grpcStatus }).toEqual({ what, status: 200, code });
      expect(decodeURIComponent(res.grpcMessage ?? "")).toMatch(message);
    }
    const unknown = await rawGrpc(server.baseUrl, `${svc}/CreateAction`, envelope(createRequest("w6")), { ...auth, "grpc-encoding": "snappy" });
    expect(unknown.trailers["grpc-accept-encoding"]).toBe("gzip,br");
    const list = await fetch(`${server.baseUrl}/management/v1/actions/_search`, { method: "POST", headers: auth, body: "{}" });
    const names = ((await list.json()) as { result?: { name: string }[] }).result?.map((a) => a.name) ?? [];
    expect(names.filter((n) => n.startsWith("w"))).toEqual([]);
  });

  it("leaves gRPC with JSON to connect-node, which still serves it", async () => {
    const id = await createAction("json");
    const res = await rawGrpc(server.baseUrl, `${svc}/GetAction`, envelope(Buffer.from(JSON.stringify({ id }))), {
      ...auth,
      "content-type": "application/grpc+json",
    });
    expect(res.grpcStatus).toBe("0");
    expect(JSON.parse(payloadOf(res.body).payload.toString()).action.name).toBe("json");
  });

  it("survives a client that resets its stream mid-call, and keeps serving", async () => {
    const session = http2.connect(server.baseUrl);
    const spin = { name: "spin", script: "function spin() { for (;;) {} }", timeout: "1s", flowType: "2", triggerType: "4" };
    const body = new TextEncoder().encode(JSON.stringify(spin));
    const req = session.request({ ":method": "POST", ":path": "/actiond.v1.ExecutionService/TestAction", "content-type": "application/grpc+json", te: "trailers", ...auth });
    req.on("error", () => {});
    req.end(envelope(body));
    await new Promise((r) => setTimeout(r, 100));
    req.close(http2.constants.NGHTTP2_CANCEL);
    session.close();
    const id = await createAction("after-reset");
    expect(id).toMatch(/^\d+$/);
    expect(server.logs.filter((l) => l["level"] === "error")).toEqual([]);
  });
});

/** The envelopes of a gRPC-Web body: messages, then the trailer envelope (flag 0x80) as its fields. */
function webFrames(body: Buffer): { messages: Buffer[]; trailer: Record<string, string> } {
  const messages: Buffer[] = [];
  const trailer: Record<string, string> = {};
  for (let at = 0; at < body.length; ) {
    const flags = body.readUInt8(at);
    const data = body.subarray(at + 5, at + 5 + body.readUInt32BE(at + 1));
    at += 5 + data.length;
    if (flags !== 0x80) messages.push(data);
    else for (const line of data.toString().split("\r\n").filter(Boolean)) trailer[line.slice(0, line.indexOf(":"))] = line.slice(line.indexOf(":") + 1).trim();
  }
  return { messages, trailer };
}

describe("unary gRPC-Web on the wire", () => {
  const webHeaders = { "content-type": "application/grpc-web+proto", "x-grpc-web": "1" };
  const getRequest = (id: string) => envelope(toBinary(GetActionRequestSchema, create(GetActionRequestSchema, { id })));
  const overHttp1 = async (path: string, body: Buffer, headers: Record<string, string> = {}) => {
    const res = await fetch(`${server.baseUrl}${path}`, { method: "POST", headers: { ...webHeaders, ...auth, ...headers }, body });
    return { status: res.status, type: res.headers.get("content-type"), body: Buffer.from(await res.arrayBuffer()) };
  };

  it("answers one message and then grpc-status 0 in a trailer envelope, over HTTP/1.1 and HTTP/2 alike", async () => {
    const id = await createAction("web");
    const h1 = await overHttp1(`${svc}/GetAction`, getRequest(id));
    expect([h1.status, h1.type]).toEqual([200, "application/grpc-web+proto"]);
    const { messages, trailer } = webFrames(h1.body);
    expect(messages.map((m) => fromBinary(GetActionResponseSchema, m).action?.name)).toEqual(["web"]);
    expect(trailer).toEqual({ "grpc-status": "0" });
    const h2 = await rawGrpc(server.baseUrl, `${svc}/GetAction`, getRequest(id), { ...auth, "content-type": "application/grpc-web+proto" });
    expect([h2.status, h2.headers["content-type"], h2.trailers["grpc-status"]]).toEqual([200, "application/grpc-web+proto", undefined]);
    expect(webFrames(h2.body).trailer).toEqual({ "grpc-status": "0" });
  });

  it("answers an error with the trailer envelope alone, with connect-node's codes", async () => {
    const cases: [string, Buffer, Record<string, string>, string, RegExp][] = [
      ["not found", getRequest("404"), {}, "5", /./],
      ["short envelope", Buffer.from([0, 0, 0]), {}, "3", /incomplete envelope/],
      ["unknown encoding", getRequest("1"), { "grpc-encoding": "snappy" }, "12", /unknown compression "snappy"/],
      ["no token", getRequest("1"), { authorization: "" }, "16", /./],
    ];
    for (const [what, body, headers, code, message] of cases) {
      const res = await overHttp1(`${svc}/GetAction`, body, headers);
      const { messages, trailer } = webFrames(res.body);
      expect({ what, status: res.status, messages: messages.length, code: trailer["grpc-status"] }).toEqual({ what, status: 200, messages: 0, code });
      expect(decodeURIComponent(trailer["grpc-message"] ?? "")).toMatch(message);
    }
  });
});

describe("unary Connect on the wire", () => {
  const post = async (path: string, body: Buffer | string, headers: Record<string, string>) => {
    const res = await fetch(`${server.baseUrl}${path}`, { method: "POST", headers: { ...auth, ...headers }, body });
    return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
  };
  const json = { "content-type": "application/json" };

  it("answers the message alone, as JSON or binary as asked", async () => {
    const id = await createAction("connect");
    const asJson = await post(`${svc}/GetAction`, JSON.stringify({ id }), json);
    expect([asJson.status, asJson.headers.get("content-type")]).toEqual([200, "application/json"]);
    expect(JSON.parse(asJson.body.toString())).toMatchObject({ action: { id, name: "connect" } });
    const asProto = await post(`${svc}/GetAction`, Buffer.from(toBinary(GetActionRequestSchema, create(GetActionRequestSchema, { id }))), { "content-type": "application/proto" });
    expect([asProto.status, asProto.headers.get("content-type")]).toEqual([200, "application/proto"]);
    expect(fromBinary(GetActionResponseSchema, asProto.body).action?.name).toBe("connect");
  });

  it("gzips a large answer for a client that accepts it", async () => {
    const id = await createAction("connect_big", longScript);
    const res = await post(`${svc}/GetAction`, JSON.stringify({ id }), { ...json, "accept-encoding": "gzip" });
    expect([res.status, res.headers.get("content-encoding")]).toEqual([200, "gzip"]);
    // fetch has already gunzipped the body.
    expect(JSON.parse(res.body.toString()).action.script).toBe(longScript);
  });

  it("answers errors as Connect's JSON with the code's HTTP status", async () => {
    const cases: [string, string, Record<string, string>, number, string, RegExp][] = [
      ["not found", JSON.stringify({ id: "404" }), {}, 404, "not_found", /./],
      ["unknown field", JSON.stringify({ id: "1", nope: 1 }), {}, 400, "invalid_argument", /nope/],
      ["not JSON", "{", {}, 400, "invalid_argument", /./],
      ["unknown encoding", JSON.stringify({ id: "1" }), { "content-encoding": "snappy" }, 501, "unimplemented", /unknown compression "snappy"/],
      ["bad timeout", JSON.stringify({ id: "1" }), { "connect-timeout-ms": "soon" }, 400, "invalid_argument", /timeout/],
    ];
    for (const [what, body, headers, status, code, message] of cases) {
      const res = await post(`${svc}/GetAction`, body, { ...json, ...headers });
      const error = JSON.parse(res.body.toString()) as { code: string; message: string };
      expect({ what, status: res.status, type: res.headers.get("content-type"), code: error.code }).toEqual({ what, status, type: "application/json", code });
      expect(error.message).toMatch(message);
    }
  });
});
