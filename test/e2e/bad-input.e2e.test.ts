import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { envelope, rawGrpc as rawGrpcCall } from "../support/raw-grpc.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

let server: TestServer;
let auth: Record<string, string>;
const createPath = "/zitadel.management.v1.ManagementService/CreateAction";

beforeAll(async () => {
  server = await startTestServer({ maxMessageBytes: 64 * 1024 });
  auth = { authorization: `Bearer ${server.adminToken}` };
});

afterAll(() => server.close());

const rawGrpc = (path: string, body: Buffer) => rawGrpcCall(server.baseUrl, path, body, auth);

/** How many actions the default org has: nothing bad input sends may change it. */
async function actionCount(): Promise<string> {
  const res = await fetch(`${server.baseUrl}/management/v1/actions/_search`, { method: "POST", headers: auth, body: "{}" });
  const body = (await res.json()) as { details: { totalResult: string } };
  return body.details.totalResult;
}

describe("bad input", () => {
  it("gRPC: malformed protobuf is InvalidArgument", async () => {
    const before = await actionCount();
    const res = await rawGrpc(createPath, envelope(Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f])));
    expect(res.grpcStatus).toBe("3");
    // A truncated envelope (length says more than sent).
    const cut = envelope(Buffer.from("abc")).subarray(0, 6);
    expect((await rawGrpc(createPath, cut)).grpcStatus).not.toBe("13");
    expect(await actionCount()).toBe(before);
  });

  it("gRPC: invalid UTF-8 in a string field is InvalidArgument", async () => {
    // field 1 (name), length 2, bytes 0xc3 0x28 (invalid UTF-8); field 2 (script) "x"
    const res = await rawGrpc(createPath, envelope(Buffer.from([0x0a, 0x02, 0xc3, 0x28, 0x12, 0x01, 0x78])));
    expect(res.grpcStatus).toBe("3");
  });

  it("gRPC: a message over the limit is ResourceExhausted", async () => {
    const big = envelope(Buffer.concat([Buffer.from([0x12, 0x80, 0x80, 0x08]), Buffer.alloc(128 * 1024, 0x61)]));
    expect((await rawGrpc(createPath, big)).grpcStatus).toBe("8");
  });

  it("Connect: invalid JSON, wrong types, unknown enum names are invalid_argument", async () => {
    const before = await actionCount();
    const call = (body: string | Uint8Array, contentType = "application/json") =>
      fetch(`${server.baseUrl}${createPath}`, { method: "POST", headers: { ...auth, "content-type": contentType }, body });
    for (const body of ['{"name":', '{"name": 5, "script": "x"}', '{"name":"a","script":"b","timeout":"ten"}', "[]"]) {
      const res = await call(body);
      expect(res.status, body).toBe(400);
      expect(((await res.json()) as { code: string }).code, body).toBe("invalid_argument");
    }
    const list = await fetch(`${server.baseUrl}/zitadel.management.v1.ManagementService/ListActions`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: '{"sortingColumn":"ACTION_FIELD_NAME_BOGUS"}',
    });
    expect(list.status).toBe(400);
    const badUtf8 = await call(Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xc3, 0x28]), Buffer.from('","script":"x"}')]));
    expect(badUtf8.status).toBe(400);
    await badUtf8.body?.cancel();
    expect(await actionCount()).toBe(before);
  });

  it("Connect: an oversize body is resource_exhausted, a wrong content type 415", async () => {
    const big = await fetch(`${server.baseUrl}${createPath}`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({ name: "big", script: "x".repeat(200 * 1024) }),
    });
    expect(((await big.json()) as { code: string }).code).toBe("resource_exhausted");
    const wrong = await fetch(`${server.baseUrl}${createPath}`, { method: "POST", headers: { ...auth, "content-type": "text/plain" }, body: "hi" });
    expect(wrong.status).toBe(415);
    await wrong.body?.cancel();
  });

  it("REST: invalid JSON and wrong types are 400, oversize 413, never 500", async () => {
    const before = await actionCount();
    for (const body of ['{"name":', '{"name": {}, "script": "x"}', '{"timeout": 7}', '"text"']) {
      const res = await fetch(`${server.baseUrl}/management/v1/actions`, { method: "POST", headers: auth, body });
      expect(res.status, body).toBe(400);
      expect(((await res.json()) as { code: number }).code, body).toBe(3);
    }
    // Unknown fields are ignored as by ZITADEL's gateway, unknown enum names are not.
    const enumName = await fetch(`${server.baseUrl}/management/v1/actions/_search`, {
      method: "POST",
      headers: auth,
      body: JSON.stringify({ sortingColumn: "ACTION_FIELD_NAME_BOGUS", unknownField: 1 }),
    });
    expect(enumName.status).toBe(400);
    expect(((await enumName.json()) as { message: string }).message).toContain("ACTION_FIELD_NAME_BOGUS");
    const big = await fetch(`${server.baseUrl}/management/v1/actions`, {
      method: "POST",
      headers: auth,
      body: JSON.stringify({ name: "big", script: "x".repeat(200 * 1024) }),
    });
    expect(big.status).toBe(413);
    expect(((await big.json()) as { code: number }).code).toBe(8);
    const badUtf8 = await fetch(`${server.baseUrl}/management/v1/actions`, {
      method: "POST",
      headers: auth,
      body: Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xc3, 0x28]), Buffer.from('","script":"x"}')]),
    });
    expect(badUtf8.status).toBe(400);
    await badUtf8.body?.cancel();
    expect(await actionCount()).toBe(before);
  });

  it("REST: unknown routes are 404 and wrong methods 405, with the JSON body", async () => {
    const unknown = await fetch(`${server.baseUrl}/management/v1/nothing`, { headers: auth });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ code: 5, message: "Not Found" });
    const wrong = await fetch(`${server.baseUrl}/management/v1/actions`, { method: "GET", headers: auth });
    expect(wrong.status).toBe(405);
    expect(await wrong.json()).toEqual({ code: 12, message: "Method Not Allowed" });
  });

  it("keeps serving after all of it", async () => {
    const res = await fetch(`${server.baseUrl}/management/v1/actions`, {
      method: "POST",
      headers: auth,
      body: JSON.stringify({ name: "still_here", script: "function still_here() {}" }),
    });
    expect(res.status).toBe(200);
  });
});
