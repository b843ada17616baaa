import { Code } from "@connectrpc/connect";
import http2 from "node:http2";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestGateway, type TestGateway } from "../../../test/support/rest-test-gateway.js";

let t: TestGateway;
beforeAll(async () => (t = await startTestGateway()));
afterAll(() => t.close());
beforeEach(() => t.reset());

describe("createRestGateway(): errors", () => {
  it("writes a ConnectError as google.rpc.Status with its detail and HTTP status", async () => {
    const reply = await t.call("GET", "/management/v1/actions/missing");
    expect(reply.status).toBe(404);
    expect(reply.json).toEqual({
      code: 5,
      message: "Action not found (QUERY-GEfnb)",
      details: [{ "@type": "type.googleapis.com/zitadel.v1.ErrorDetail", id: "QUERY-GEfnb", message: "Action not found" }],
    });
  });

  it("decodes binary details through the registry", async () => {
    const reply = await t.call("POST", "/management/v1/flows/1/_clear");
    expect(reply.status).toBe(400);
    expect(reply.json).toEqual({
      code: 3,
      message: "type: must be set",
      details: [
        { "@type": "type.googleapis.com/buf.validate.Violations", violations: [{ message: "must be set", ruleId: "required" }] },
      ],
    });
  });

  it("omits empty details and maps codes to grpc-gateway's statuses", async () => {
    const reply = await t.call("POST", "/management/v1/actions/1/_reactivate");
    expect(reply).toMatchObject({ status: 501, json: { code: 12, message: "not in this fake" } });
    expect(reply.json).not.toHaveProperty("details");
  });

  it("hides anything that is not a ConnectError behind 500 internal error, and logs it", async () => {
    for (const id of ["boom", "string"]) {
      const reply = await t.call("GET", `/management/v1/actions/${id}`);
      expect(reply).toEqual({ status: 500, headers: expect.anything(), json: { code: 13, message: "internal error" } });
    }
    expect(t.errors.map((e) => e.fields?.["err"])).toEqual([
      expect.objectContaining({ message: "secret database detail" }),
      "a thrown string",
    ]);
  });
});

describe("createRestGateway(): metadata and context", () => {
  it("forwards credentials, language and x- headers, and strips Grpc-Metadata-", async () => {
    await t.call("GET", "/management/v1/actions/1", {
      headers: {
        authorization: "Bearer t",
        "x-zitadel-orgid": "org-1",
        "accept-language": "de",
        "x-request-id": "r-1",
        "grpc-metadata-tenant": "t-1",
        cookie: "session=secret",
        "user-agent": "test",
      },
    });
    const header = Object.fromEntries(t.seen[0]!.header);
    expect(header).toEqual({
      authorization: "Bearer t",
      "x-zitadel-orgid": "org-1",
      "accept-language": "de",
      "x-request-id": "r-1",
      tenant: "t-1",
    });
  });

  it("returns response headers as Grpc-Metadata-*", async () => {
    const reply = await t.call("GET", "/management/v1/actions/1");
    expect(reply.headers.get("grpc-metadata-x-trace-id")).toBe("trace-1");
  });

  it("honours grpc-timeout and connect-timeout-ms", async () => {
    await t.call("GET", "/management/v1/actions/1", { headers: { "connect-timeout-ms": "60000" } });
    expect(t.seen[0]!.timeoutMs).toBeGreaterThan(59_000);
    const slow = await t.call("GET", "/management/v1/actions/slow", { headers: { "grpc-timeout": "50m" } });
    expect(slow).toMatchObject({ status: 504, json: { code: 4 } });
    expect(await t.last.aborted).toMatchObject({ code: Code.DeadlineExceeded });
    expect(await t.call("GET", "/management/v1/actions/1", { headers: { "grpc-timeout": "soon" } })).toMatchObject({
      status: 400,
      json: { code: 3, message: "invalid grpc-timeout value: soon" },
    });
  });

  it("aborts the handler's signal when the client goes away", async () => {
    const client = new AbortController();
    const request = fetch(`${t.base}/management/v1/actions/slow`, { signal: client.signal }).catch(() => "gone");
    await expect.poll(() => t.seen.length).toBe(1);
    client.abort();
    expect(await request).toBe("gone");
    expect(await t.last.aborted).toMatchObject({ code: Code.Canceled, message: "[canceled] client disconnected" });
  });
});

describe("createRestGateway(): over HTTP/2", () => {
  let h2: http2.Http2Server;
  let session: http2.ClientHttp2Session;

  beforeAll(async () => {
    h2 = http2.createServer({}, t.gateway.serve);
    await new Promise<void>((resolve) => h2.listen(0, "127.0.0.1", resolve));
    session = http2.connect(`http://127.0.0.1:${(h2.address() as AddressInfo).port}`);
  });

  afterAll(async () => {
    session.close();
    await new Promise((resolve) => h2.close(resolve));
  });

  function h2call(headers: http2.OutgoingHttpHeaders, body?: string): Promise<{ status: number; json: unknown }> {
    return new Promise((resolve, reject) => {
      const stream = session.request(headers);
      let status = 0;
      let text = "";
      stream.on("response", (h) => (status = Number(h[":status"])));
      stream.setEncoding("utf8").on("data", (d: string) => (text += d));
      stream.on("end", () => resolve({ status, json: JSON.parse(text) }));
      stream.on("error", reject);
      stream.end(body);
    });
  }

  it("serves the same routes, and a 413 leaves the session usable", async () => {
    expect(await h2call({ ":method": "GET", ":path": "/management/v1/actions/h2" })).toMatchObject({
      status: 200,
      json: { action: { id: "h2" } },
    });
    const big = JSON.stringify({ name: "x".repeat(t.readMaxBytes) });
    expect(await h2call({ ":method": "POST", ":path": "/management/v1/actions" }, big)).toMatchObject({
      status: 413,
      json: { code: 8 },
    });
    expect(await h2call({ ":method": "POST", ":path": "/management/v1/actions" }, '{"name":"again"}')).toMatchObject({
      status: 200,
      json: { id: "new-again" },
    });
  });
});
