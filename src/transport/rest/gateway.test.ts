import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestGateway, type TestGateway } from "../../../test/support/rest-test-gateway.js";

let t: TestGateway;
beforeAll(async () => (t = await startTestGateway()));
afterAll(() => t.close());
beforeEach(() => t.reset());

describe("createRestGateway(): routing", () => {
  it("prefers the literal route: POST /actions/_search is ListActions", async () => {
    const reply = await t.call("POST", "/management/v1/actions/_search", { body: '{"query":{"limit":3}}' });
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({ details: { totalResult: "3" } });
    expect(t.seen.map((s) => s.rpc)).toEqual(["ListActions"]);
  });

  it("serves GET /actions/{id} with zero values left out, as ZITADEL", async () => {
    const reply = await t.call("GET", "/management/v1/actions/42");
    expect(reply.status).toBe(200);
    expect(reply.headers.get("content-type")).toBe("application/json");
    expect(reply.json).toEqual({
      action: { id: "42", state: "ACTION_STATE_ACTIVE", name: "echo" },
    });
  });

  it("answers an unknown path with 404 and a known path with another method with 405", async () => {
    expect(await t.call("GET", "/management/v1/nothing")).toMatchObject({ status: 404, json: { code: 5, message: "Not Found" } });
    expect(await t.call("GET", "/")).toMatchObject({ status: 404, json: { code: 5, message: "Not Found" } });
    expect(await t.call("PATCH", "/management/v1/actions/42")).toMatchObject({
      status: 405,
      json: { code: 12, message: "Method Not Allowed" },
    });
    expect((await t.call("OPTIONS", "/management/v1/actions")).status).toBe(405);
    expect(t.seen).toEqual([]);
  });

  it("answers a malformed path with 400", async () => {
    expect(await t.call("GET", "/management/v1/actions/%E0%A4%A")).toMatchObject({ status: 400, json: { code: 3 } });
  });
});

describe("createRestGateway(): request binding", () => {
  it("lets path variables override body fields", async () => {
    const reply = await t.call("PUT", "/management/v1/actions/from-path", { body: '{"id":"from-body","name":"n"}' });
    expect(reply.json).toEqual({ details: { resourceOwner: "from-path:n" } });
  });

  it("reads DELETE with a body, and the path still wins", async () => {
    const reply = await t.call("DELETE", "/management/v1/actions/abc", { body: '{"id":"other"}' });
    expect(reply).toMatchObject({ status: 200, json: {} });
    expect(t.last.deletedId).toBe("abc");
  });

  it("accepts an empty body, any content type, and ignores unknown fields", async () => {
    expect((await t.call("POST", "/management/v1/actions")).json).toMatchObject({ id: "new-" });
    const reply = await t.call("POST", "/management/v1/actions", {
      body: '{"name":"x","bogus":[1,{"a":2}]}',
      headers: { "content-type": "text/plain" },
    });
    expect(reply).toMatchObject({ status: 200, json: { id: "new-x", details: { sequence: "1", resourceOwner: "org" } } });
  });

  it("binds query parameters, a body field, ** and response_body on other rules", async () => {
    const query = "name_prefix=a&active=true&color=1&tags=x&tags=y&inner.note=n&id=no&bogus=1";
    expect((await t.call("GET", `/rest-test/v1/echo/7?${query}`)).json).toMatchObject({
      id: "7",
      namePrefix: "a",
      active: true,
      color: "COLOR_RED",
      tags: ["x", "y"],
      inner: { note: "n" },
    });
    const check = await t.call("POST", "/rest-test/v1/echo/p:check?namePrefix=q", { body: '{"id":"b","note":"n"}' });
    expect(check.json).toMatchObject({ namePrefix: "q", inner: { id: "p", note: "n" } });
    const files = await t.call("GET", "/rest-test/v1/files/docs/a/b");
    expect(files.json).toMatchObject({ namePrefix: "docs/a/b" });
    const inner = await t.call("POST", "/rest-test/v1/inner", { body: '{"inner":{"id":"i"},"namePrefix":"dropped"}' });
    expect(inner.json).toEqual({ id: "i" });
  });

  const invalid: [string, string, string, string | Uint8Array, RegExp][] = [
    ["invalid JSON", "POST", "/management/v1/actions", '{"name":', /^invalid request body: /],
    ["a wrong JSON type", "POST", "/management/v1/actions", '{"name":5}', /name/],
    ["a wrong nested type", "POST", "/management/v1/actions", '{"timeout":"10"}', /Duration/],
    ["a non-object body", "POST", "/management/v1/actions", '"x"', /must be a JSON object/],
    ["invalid UTF-8", "POST", "/management/v1/actions", new Uint8Array([0x22, 0xc3, 0x28, 0x22]), /UTF-8/],
    ["an unknown enum name in the query", "GET", "/rest-test/v1/echo/7?color=COLOR_BLUE", "", /enum field color/],
    ["a bad bool in the query", "GET", "/rest-test/v1/echo/7?active=maybe", "", /bool field active/],
  ];
  for (const [what, method, path, body, message] of invalid) {
    it(`answers ${what} with 400 InvalidArgument`, async () => {
      const reply = await t.call(method, path, { body: method === "GET" ? undefined : body });
      expect(reply.status).toBe(400);
      expect(reply.json).toEqual({ code: 3, message: expect.stringMatching(message) });
      expect(t.seen).toEqual([]);
    });
  }
});

describe("createRestGateway(): body limit", () => {
  it("answers 413 for a declared length over the limit and keeps serving", async () => {
    const reply = await t.call("POST", "/management/v1/actions", { body: JSON.stringify({ name: "x".repeat(t.readMaxBytes) }) });
    expect(reply).toMatchObject({ status: 413, json: { code: 8, message: `request body larger than ${t.readMaxBytes} bytes` } });
    expect((await t.call("GET", "/management/v1/actions/after")).status).toBe(200);
  });

  it("stops reading a chunked body at the limit", async () => {
    const chunk = new TextEncoder().encode("x".repeat(1024));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 8) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const reply = await t.call("POST", "/management/v1/actions", { body });
    expect(reply).toMatchObject({ status: 413, json: { code: 8 } });
    expect(t.seen).toEqual([]);
    expect((await t.call("GET", "/management/v1/actions/after")).status).toBe(200);
  });
});

