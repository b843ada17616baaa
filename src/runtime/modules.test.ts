import { describe, expect, it } from "vitest";
import { action, claimsOf, run, stubHost } from "../../test/support/runtime-harness.js";

const ok = () => ({ status: 201, body: '{"id":7,"tags":["a"]}', headers: { "Content-Type": ["application/json"] } });

describe("require()", () => {
  it("knows exactly zitadel/http, zitadel/log, zitadel/uuid and actiond/secrets, each one object per run", async () => {
    const result = await run(action(`
      var http = require("zitadel/http"), log = require("zitadel/log"), uuid = require("zitadel/uuid"), secrets = require("actiond/secrets");
      api.v1.claims.setClaim("m", [typeof http.fetch, typeof log.info, typeof uuid.v4, typeof secrets.get, require("zitadel/http") === http]);`));
    expect(claimsOf(result).m).toEqual(["function", "function", "function", "function", true]);
  });

  it.each(["fs", "./x", "/etc/passwd", "console", "util", "zitadel/other", ""])("fails clearly for %j", async (name) => {
    const result = await run(action(`require(${JSON.stringify(name)});`));
    expect(result.error?.message).toBe(
      `Error: module ${JSON.stringify(name)} not found: require knows only "zitadel/http", "zitadel/log", "zitadel/uuid", "actiond/secrets" (there is no filesystem)`,
    );
  });

  it("has no zitadel/uuid in the SAML flow, and says so", async () => {
    const result = await run(action('require("zitadel/uuid");'), { flowType: "4", triggerType: "6" });
    expect(result.error?.message).toBe(
      'Error: module "zitadel/uuid" is not available in Complement SAMLResponse / Pre SAMLResponse creation; require knows only "zitadel/http", "zitadel/log", "actiond/secrets" here',
    );
  });

  it("has actiond/secrets, whose get answers the run's secrets as strings and undefined for any other name", async () => {
    const secrets = { API_KEY: "k-123", OTHER: "o" };
    const result = await run(
      action(`
      var s = require("actiond/secrets");
      api.v1.claims.setClaim("got", [s.get("API_KEY"), typeof s.get("MISSING"), typeof s.get("__proto__"), typeof s.get("toString"), typeof s.get()]);`),
      { secrets },
    );
    expect(claimsOf(result).got).toEqual(["k-123", "undefined", "undefined", "undefined", "undefined"]);
    const none = await run(action('api.v1.claims.setClaim("got", typeof require("actiond/secrets").get("API_KEY"));'));
    expect(claimsOf(none).got).toBe("undefined");
  });

  it("lets a script catch a failed require", async () => {
    const result = await run(action('try { require("fs"); } catch (e) { api.v1.claims.setClaim("caught", e instanceof Error); }'));
    expect(claimsOf(result).caught).toBe(true);
  });
});

describe("zitadel/http fetch", () => {
  it("defaults to GET with JSON content type and accept, and returns status, body, headers, json() and text()", async () => {
    const { host, requests } = stubHost(ok);
    const result = await run(action(`
      var res = require("zitadel/http").fetch("https://api.example.com/users");
      api.v1.claims.setClaim("res", [res.status, res.body, res.headers, res.json().tags, res.text() === res.body]);`), { host });
    expect(claimsOf(result).res).toEqual([201, '{"id":7,"tags":["a"]}', { "Content-Type": ["application/json"] }, ["a"], true]);
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      url: "https://api.example.com/users",
      method: "GET",
      headers: { "Content-Type": ["application/json"], Accept: ["application/json"] },
    });
    expect(requests[0]?.body).toBeUndefined();
    expect(requests[0]?.timeoutMs).toBeGreaterThan(0);
    expect(requests[0]?.timeoutMs).toBeLessThanOrEqual(2_000);
  });

  it("sends method, headers (split on commas, or arrays) and a JSON body; given headers replace the defaults", async () => {
    const { host, requests } = stubHost(ok);
    await run(
      action(`require("zitadel/http").fetch("https://api.example.com", {
        method: "POST",
        headers: { "x-list": "a, b", "X-Arr": ["c", "d"], authorization: "Bearer t" },
        body: { name: "Ada", when: new Date(0) },
      });`),
      { host },
    );
    expect(requests[0]).toMatchObject({
      method: "POST",
      headers: { "X-List": ["a", "b"], "X-Arr": ["c", "d"], Authorization: ["Bearer t"] },
      body: '{"name":"Ada","when":"1970-01-01T00:00:00.000Z"}',
    });
  });

  it("JSON-serialises a string body too, as ZITADEL does", async () => {
    const { host, requests } = stubHost(ok);
    await run(action('require("zitadel/http").fetch("https://x.example", { method: "PUT", body: "raw" });'), { host });
    expect(requests[0]?.body).toBe('"raw"');
  });

  it.each([
    ['"https://x.example", { timeout: 5 }', 'Error: key is invalid: "timeout" (fetch options are method, headers, body)'],
    ['"https://x.example", {}, 3', "Error: too many args"],
    ["", "Error: no url provided"],
    ["42", "TypeError: fetch: the url must be a string"],
    ['"https://x.example", null', "TypeError: fetch: options must be an object"],
    ['"not a url"', 'Error: fetch: invalid url "not a url"'],
    ['"file:///etc/passwd"', 'Error: fetch: unsupported protocol scheme "file"'],
  ])("fetch(%s) throws %j and sends nothing", async (args, message) => {
    const { host, requests } = stubHost(ok);
    const result = await run(action(`require("zitadel/http").fetch(${args});`), { host });
    expect(result.error?.message).toBe(message);
    expect(requests).toHaveLength(0);
  });

  it("turns a host error into a catchable guest Error", async () => {
    const { host } = stubHost(() => ({ error: "host is denied" }));
    const result = await run(action('try { require("zitadel/http").fetch("https://10.0.0.1"); } catch (e) { api.v1.claims.setClaim("e", String(e)); }'), {
      host,
    });
    expect(claimsOf(result).e).toBe("Error: host is denied");
  });

  it("turns a throwing host into a guest Error, not a crash", async () => {
    const host = { fetch: () => { throw new Error("socket hang up"); } };
    const result = await run(action('require("zitadel/http").fetch("https://x.example");'), { host });
    expect(result).toMatchObject({ outcome: "failed", error: { message: "Error: fetch failed: socket hang up" } });
  });

  it("throws from json() when the body is not JSON", async () => {
    const { host } = stubHost(() => ({ status: 200, body: "<html>", headers: {} }));
    const result = await run(action('require("zitadel/http").fetch("https://x.example").json();'), { host });
    expect(result.error?.message).toMatch(/^SyntaxError/);
  });
});

describe("zitadel/log", () => {
  it("captures log, info, debug, warn and error", async () => {
    const result = await run(action('var l = require("zitadel/log"); l.log("a"); l.info("b"); l.debug("c"); l.warn("d"); l.error("e", 1);'));
    expect(result.logs).toEqual([
      { level: "info", message: "a" },
      { level: "info", message: "b" },
      { level: "debug", message: "c" },
      { level: "warn", message: "d" },
      { level: "error", message: "e 1" },
    ]);
  });
});

describe("zitadel/uuid", () => {
  it("makes v1, v3, v4 and v5 strings and has the name-space constants", async () => {
    const result = await run(action(`
      var u = require("zitadel/uuid");
      api.v1.claims.setClaim("u", [u.v1(), u.v3(u.namespaceDNS, "www.example.com"), u.v4(), u.v5(u.namespaceDNS, "www.example.com"),
        u.namespaceDNS, u.namespaceURL, u.namespaceOID, u.namespaceX500, u.v5(u.namespaceDNS, [119, 119, 119])]);`));
    const [v1, v3, v4, v5, dns, url, oid, x500, bytes] = claimsOf(result).u as string[];
    expect(v1).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(v3).toBe("5df41881-3aed-3515-88a7-2f4a814cf09e");
    expect(v4).toBe("00000000-0000-4000-8000-000000000000");
    expect(v5).toBe("2ed6657d-e927-568b-95e1-2665a8aea6a2");
    expect([dns, url, oid, x500]).toEqual([
      "6ba7b810-9dad-11d1-80b4-00c04fd430c8",
      "6ba7b811-9dad-11d1-80b4-00c04fd430c8",
      "6ba7b812-9dad-11d1-80b4-00c04fd430c8",
      "6ba7b814-9dad-11d1-80b4-00c04fd430c8",
    ]);
    expect(bytes).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("rejects a namespace that is not a UUID", async () => {
    const result = await run(action('require("zitadel/uuid").v5("nope", "x");'));
    expect(result.error?.message).toBe("TypeError: v5: namespace must be a UUID");
  });
});
