/**
 * Real traffic, ONLY to an http server started here on 127.0.0.1 (port 0),
 * with `allow: ["127.0.0.1"]`. Names are resolved by a stub; the socket guard
 * refuses (before connecting) anything that is not 127.0.0.1, and every test
 * checks that no connection went anywhere else.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import tls from "node:tls";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createEgressFetcher, type EgressRequest, type EgressResult, type ResolvedAddress } from "./index.js";
import { installSocketGuard, type SocketGuard } from "../../test/support/socket-guard.js";

interface Seen {
  method: string;
  url: string;
  rawHeaders: string[];
  body: string;
}

let server: http.Server;
let port: number;
let origin: string;
let guard: SocketGuard;
const seen: Seen[] = [];
const closedHanging: string[] = [];

function handle(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer) {
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  const q = (name: string) => url.searchParams.get(name) ?? "";
  switch (url.pathname) {
    case "/echo": {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ method: req.method, url: req.url, rawHeaders: req.rawHeaders, body: body.toString("utf8") }));
      return;
    }
    case "/status":
      res.statusCode = Number(q("code"));
      res.end(res.statusCode === 204 || res.statusCode === 304 ? undefined : `status ${q("code")}`);
      return;
    case "/chain": {
      const n = Number(q("n"));
      if (n > 0) {
        res.writeHead(302, { location: `/chain?n=${n - 1}` });
        res.end("moved");
      } else res.end("end of chain");
      return;
    }
    case "/redirect":
      res.writeHead(Number(q("status") || "302"), { location: q("to") });
      res.end();
      return;
    case "/hang":
      req.socket.once("close", () => closedHanging.push(req.url ?? ""));
      return;
    case "/slow-body":
      req.socket.once("close", () => closedHanging.push(req.url ?? ""));
      res.writeHead(200, { "content-type": "text/plain" });
      res.write("partial");
      return;
    case "/bytes": {
      const n = Number(q("n"));
      if (q("cl") === "1") {
        res.writeHead(200, { "content-length": String(n) });
        res.end(Buffer.alloc(n, 0x61));
        return;
      }
      res.writeHead(200, { "content-type": "text/plain" });
      const chunk = Buffer.alloc(16 * 1024, 0x61);
      let left = n;
      while (left > 0) {
        const size = Math.min(left, chunk.length);
        res.write(chunk.subarray(0, size));
        left -= size;
      }
      res.end();
      return;
    }
    case "/headers":
      res.setHeader("Set-Cookie", ["a=1; Path=/", "b=2; Path=/"]);
      res.setHeader("X-Multi", ["one", "two"]);
      res.setHeader("X-Mixed-Case", "Value");
      res.end("ok");
      return;
    case "/utf8": {
      const text = Buffer.from("héllo ✓ 😀", "utf8");
      res.writeHead(200, { "content-type": "text/plain; charset=utf-8" });
      // Split inside multi-byte sequences, across separate writes.
      res.write(text.subarray(0, 2));
      setTimeout(() => {
        res.write(text.subarray(2, 9));
        setTimeout(() => res.end(Buffer.concat([text.subarray(9), Buffer.from([0xff])])), 5);
      }, 5);
      return;
    }
    case "/cut":
      res.writeHead(200, { "content-length": "100" });
      res.write("only ten b");
      setTimeout(() => res.socket?.destroy(), 10);
      return;
    default:
      res.statusCode = 404;
      res.end("not found");
  }
}

beforeAll(async () => {
  guard = installSocketGuard();
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      seen.push({ method: req.method ?? "", url: req.url ?? "", rawHeaders: req.rawHeaders, body: Buffer.concat(chunks).toString("utf8") });
      handle(req, res, Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
});

afterEach(() => {
  // Nothing tried to leave 127.0.0.1: every attempt was to 127.0.0.1 itself, or
  // to a name whose pinned lookup answered 127.0.0.1 only.
  expect(guard.violations).toEqual([]);
  for (const a of guard.attempts) {
    expect(a.host === "127.0.0.1" || (a.resolved !== undefined && a.resolved.every((r) => r === "127.0.0.1"))).toBe(true);
  }
  guard.reset();
  seen.length = 0;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  guard.uninstall();
});

/** A stub resolver; each name maps to a list of answers, one per call (the last repeats). */
function resolver(zone: Record<string, string[][]>) {
  const calls: string[] = [];
  const lookup = async (host: string): Promise<ResolvedAddress[]> => {
    calls.push(host);
    const answers = zone[host];
    if (!answers) throw new Error(`ENOTFOUND ${host}`);
    const n = calls.filter((c) => c === host).length;
    const answer = answers[Math.min(n, answers.length) - 1]!;
    return answer.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
  };
  return { calls, lookup };
}

const ZONE = {
  "loop.test": [["127.0.0.1"]],
  "metadata.internal": [["169.254.169.254"]],
  "corp.example": [["fd00::1"]],
  "private.test": [["10.0.0.1"]],
};

const soon = () => performance.now() + 5_000;
const get = (path: string): EgressRequest => ({ url: `${origin}${path}`, method: "GET", headers: {} });

function ok(result: EgressResult) {
  if ("error" in result) throw new Error(`unexpected error: ${result.error}`);
  return result;
}

function headerLines(rawHeaders: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i < rawHeaders.length; i += 2) out.push([rawHeaders[i]!.toLowerCase(), rawHeaders[i + 1]!]);
  return out;
}

const allowed = () => createEgressFetcher({ allow: ["127.0.0.1"], lookup: resolver(ZONE).lookup });

describe("exchanges with the loopback server (allow 127.0.0.1)", () => {
  it("GET: status, body and lower-cased headers", async () => {
    const res = ok(await allowed().fetch(get("/echo?x=1#frag"), soon()));
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toEqual(["application/json"]);
    expect(Object.keys(res.headers).every((k) => k === k.toLowerCase())).toBe(true);
    const echoed = JSON.parse(res.body) as Seen;
    expect(echoed.method).toBe("GET");
    expect(echoed.url).toBe("/echo?x=1");
    expect(echoed.body).toBe("");
  });

  it("POST with a JSON body; computed headers are not taken from the caller", async () => {
    const body = JSON.stringify({ name: "Zoë", emoji: "✓" });
    const res = ok(
      await allowed().fetch(
        {
          url: `${origin}/echo`,
          method: "post",
          headers: {
            "Content-Type": ["application/json"],
            Accept: ["application/json"],
            "X-Multi": ["a", "b"],
            "x-multi": ["c"],
            Host: ["evil.example"],
            Connection: ["keep-alive, Upgrade"],
            "Transfer-Encoding": ["chunked"],
            "Content-Length": ["999"],
            Upgrade: ["websocket"],
          },
          body,
        },
        soon(),
      ),
    );
    const echoed = JSON.parse(res.body) as Seen;
    expect(echoed.method).toBe("POST");
    expect(echoed.body).toBe(body);
    const lines = headerLines(echoed.rawHeaders);
    const values = (name: string) => lines.filter(([n]) => n === name).map(([, v]) => v);
    expect(values("host")).toEqual([`127.0.0.1:${port}`]);
    expect(values("content-length")).toEqual([String(Buffer.byteLength(body))]);
    expect(values("transfer-encoding")).toEqual([]);
    expect(values("connection")).toEqual(["close"]);
    expect(values("upgrade")).toEqual([]);
    expect(values("content-type")).toEqual(["application/json"]);
    expect(values("accept")).toEqual(["application/json"]);
    expect(values("x-multi")).toEqual(["a", "b", "c"]);
  });

  it("multi-valued response headers come back as arrays", async () => {
    const res = ok(await allowed().fetch(get("/headers"), soon()));
    expect(res.headers["set-cookie"]).toEqual(["a=1; Path=/", "b=2; Path=/"]);
    expect(res.headers["x-multi"]).toEqual(["one", "two"]);
    expect(res.headers["x-mixed-case"]).toEqual(["Value"]);
  });

  it.each([200, 201, 204, 400, 404, 418, 500, 503])("status %i is returned as is", async (code) => {
    const res = ok(await allowed().fetch(get(`/status?code=${code}`), soon()));
    expect(res.status).toBe(code);
    expect(res.body).toBe(code === 204 ? "" : `status ${code}`);
  });

  it("HEAD has no body", async () => {
    const res = ok(await allowed().fetch({ ...get("/bytes?n=10&cl=1"), method: "HEAD" }, soon()));
    expect(res).toMatchObject({ status: 200, body: "" });
    expect(res.headers["content-length"]).toEqual(["10"]);
  });

  it("decodes UTF-8 split across chunks; invalid bytes become U+FFFD", async () => {
    const res = ok(await allowed().fetch(get("/utf8"), soon()));
    expect(res.body).toBe("héllo ✓ 😀\uFFFD");
  });

  it("parallel exchanges are independent", async () => {
    const fetcher = allowed();
    const results = await Promise.all([1, 2, 3, 4, 5].map((n) => fetcher.fetch(get(`/status?code=${200 + n}`), soon())));
    expect(results.map((r) => ok(r).status)).toEqual([201, 202, 203, 204, 205]);
  });

  it("a refused connection is an error naming the origin", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const result = await allowed().fetch({ url: `http://127.0.0.1:${closedPort}/`, method: "GET", headers: {} }, soon());
    expect(result).toEqual({ error: expect.stringMatching(new RegExp(`^request to http://127.0.0.1:${closedPort} failed: .*ECONNREFUSED`)) });
  });

  it("a connection cut before the body is complete is an error", async () => {
    const result = await allowed().fetch(get("/cut"), soon());
    expect(result).toEqual({ error: expect.stringMatching(/closed before the response was complete|aborted/) });
  });
});

describe("names are resolved once and the connection goes to the checked address", () => {
  it("a name resolving to 127.0.0.1 is reached with its own Host header, one lookup", async () => {
    const { calls, lookup } = resolver(ZONE);
    const res = ok(await createEgressFetcher({ allow: ["127.0.0.1"], lookup }).fetch({ url: `http://loop.test:${port}/echo`, method: "GET", headers: {} }, soon()));
    const echoed = JSON.parse(res.body) as Seen;
    expect(headerLines(echoed.rawHeaders).filter(([n]) => n === "host")).toEqual([["host", `loop.test:${port}`]]);
    expect(calls).toEqual(["loop.test"]);
    expect(guard.attempts).toEqual([{ host: "loop.test", port, resolved: ["127.0.0.1"] }]);
  });

  it("DNS rebinding: a second answer (10.0.0.1) is never asked for nor used", async () => {
    const { calls, lookup } = resolver({ "rebind.test": [["127.0.0.1"], ["10.0.0.1"]] });
    const res = ok(await createEgressFetcher({ allow: ["127.0.0.1"], lookup }).fetch({ url: `http://rebind.test:${port}/echo`, method: "GET", headers: {} }, soon()));
    expect(res.status).toBe(200);
    expect(calls).toEqual(["rebind.test"]);
  });

  it("DNS rebinding across a redirect: the next hop is resolved and checked again", async () => {
    const { calls, lookup } = resolver({ "rebind.test": [["127.0.0.1"], ["10.0.0.1"]] });
    const to = encodeURIComponent(`http://rebind.test:${port}/echo`);
    const result = await createEgressFetcher({ allow: ["127.0.0.1"], lookup }).fetch(
      { url: `http://rebind.test:${port}/redirect?to=${to}`, method: "GET", headers: {} },
      soon(),
    );
    expect(result).toEqual({
      error: `redirect to "http://rebind.test:${port}/echo" refused: address 10.0.0.1 of host rebind.test is denied (private range 10.0.0.0/8)`,
    });
    expect(calls).toEqual(["rebind.test", "rebind.test"]);
    expect(seen.map((s) => s.url)).toEqual([`/redirect?to=${to}`]);
  });
});

describe("https", () => {
  it("connects to the checked address with SNI set to the host name", async () => {
    // A TLS server without a certificate: it records the SNI, then fails the handshake.
    const names: string[] = [];
    const tlsServer = tls.createServer({
      SNICallback: (name, callback) => {
        names.push(name);
        callback(new Error("no certificate in this test"));
      },
    });
    tlsServer.on("tlsClientError", () => {});
    await new Promise<void>((resolve) => tlsServer.listen(0, "127.0.0.1", resolve));
    const tlsPort = (tlsServer.address() as AddressInfo).port;
    try {
      const { calls, lookup } = resolver(ZONE);
      const result = await createEgressFetcher({ allow: ["127.0.0.1"], lookup }).fetch(
        { url: `https://loop.test:${tlsPort}/`, method: "GET", headers: {} },
        soon(),
      );
      expect(result).toEqual({ error: expect.stringMatching(new RegExp(`^request to https://loop.test:${tlsPort} failed: `)) });
      expect(names).toEqual(["loop.test"]);
      expect(calls).toEqual(["loop.test"]);
      expect(guard.attempts).toEqual([{ host: "loop.test", port: tlsPort, resolved: ["127.0.0.1"] }]);
    } finally {
      await new Promise<void>((resolve) => tlsServer.close(() => resolve()));
    }
  });
});

describe("redirects", () => {
  it("follows a chain within the limit (default 5)", async () => {
    const res = ok(await allowed().fetch(get("/chain?n=5"), soon()));
    expect(res).toMatchObject({ status: 200, body: "end of chain" });
    expect(seen.map((s) => s.url)).toEqual(["/chain?n=5", "/chain?n=4", "/chain?n=3", "/chain?n=2", "/chain?n=1", "/chain?n=0"]);
  });

  it("stops past the limit", async () => {
    expect(await allowed().fetch(get("/chain?n=6"), soon())).toEqual({ error: 'too many redirects (more than 5), last to "/chain?n=0"' });
    expect(seen).toHaveLength(6);
    const strict = createEgressFetcher({ allow: ["127.0.0.1"], maxRedirects: 0 });
    expect(await strict.fetch(get("/chain?n=1"), soon())).toEqual({ error: 'too many redirects (more than 0), last to "/chain?n=0"' });
    const two = createEgressFetcher({ allow: ["127.0.0.1"], maxRedirects: 2 });
    expect(ok(await two.fetch(get("/chain?n=2"), soon())).body).toBe("end of chain");
  });

  it("a 3xx without Location is returned as is", async () => {
    const res = ok(await allowed().fetch(get("/status?code=302"), soon()));
    expect(res).toMatchObject({ status: 302, body: "status 302" });
  });

  const post = (path: string): EgressRequest => ({
    url: `${origin}${path}`,
    method: "POST",
    headers: { "content-type": ["application/json"], "x-keep": ["yes"] },
    body: '{"a":1}',
  });

  it("303 turns a POST into a GET without body", async () => {
    const res = ok(await allowed().fetch(post("/redirect?status=303&to=/echo"), soon()));
    const echoed = JSON.parse(res.body) as Seen;
    expect(echoed.method).toBe("GET");
    expect(echoed.body).toBe("");
    const names = headerLines(echoed.rawHeaders).map(([n]) => n);
    expect(names).not.toContain("content-length");
    expect(names).not.toContain("content-type");
    expect(names).toContain("x-keep");
  });

  it.each([301, 302])("%i after POST becomes GET without body (as Go's client)", async (status) => {
    const echoed = JSON.parse(ok(await allowed().fetch(post(`/redirect?status=${status}&to=/echo`), soon())).body) as Seen;
    expect(echoed).toMatchObject({ method: "GET", body: "" });
  });

  it.each([307, 308])("%i keeps the method and the body", async (status) => {
    const echoed = JSON.parse(ok(await allowed().fetch(post(`/redirect?status=${status}&to=/echo`), soon())).body) as Seen;
    expect(echoed).toMatchObject({ method: "POST", body: '{"a":1}' });
    expect(headerLines(echoed.rawHeaders)).toContainEqual(["content-type", "application/json"]);
  });

  it("credentials are dropped when the redirect leaves the origin, kept within it", async () => {
    const request = (to: string): EgressRequest => ({
      url: `${origin}/redirect?to=${encodeURIComponent(to)}`,
      method: "GET",
      headers: { authorization: ["Bearer secret"], cookie: ["s=1"], "x-keep": ["yes"] },
    });
    const same = JSON.parse(ok(await allowed().fetch(request("/echo"), soon())).body) as Seen;
    expect(headerLines(same.rawHeaders)).toEqual(expect.arrayContaining([["authorization", "Bearer secret"], ["cookie", "s=1"]]));
    const other = JSON.parse(ok(await allowed().fetch(request(`http://loop.test:${port}/echo`), soon())).body) as Seen;
    const names = headerLines(other.rawHeaders).map(([n]) => n);
    expect(names).not.toContain("authorization");
    expect(names).not.toContain("cookie");
    expect(names).toContain("x-keep");
  });

  it.each([
    ["http://127.0.0.2:1/", "address 127.0.0.2 is denied (loopback range 127.0.0.0/8)"],
    ["http://[::1]:1/", "address ::1 is denied (loopback address ::1)"],
    ["http://localhost:1/", "host localhost is denied (loopback name localhost)"],
    ["http://169.254.169.254/latest/meta-data/", "address 169.254.169.254 is denied (cloud metadata (link-local) address 169.254.169.254)"],
    ["http://metadata.internal/latest/meta-data/", "address 169.254.169.254 of host metadata.internal is denied (cloud metadata (link-local) address 169.254.169.254)"],
    ["http://corp.example/", "address fd00::1 of host corp.example is denied (private (unique local) range fc00::/7)"],
    ["http://private.test:8080/", "address 10.0.0.1 of host private.test is denied (private range 10.0.0.0/8)"],
    ["https://10.0.0.1/", "address 10.0.0.1 is denied (private range 10.0.0.0/8)"],
    ["ftp://127.0.0.1/", "URL scheme ftp: is not allowed (only http: and https:)"],
    ["http://user:pw@127.0.0.1/", "URL userinfo is not allowed (host 127.0.0.1)"],
  ])("a redirect to %s is refused before connecting", async (to, reason) => {
    const result = await allowed().fetch(get(`/redirect?status=307&to=${encodeURIComponent(to)}`), soon());
    expect(result).toEqual({ error: `redirect to ${JSON.stringify(to)} refused: ${reason}` });
    // Exactly one connection: the first hop, to the loopback server.
    expect(guard.attempts.map((a) => a.host)).toEqual(["127.0.0.1"]);
    expect(seen).toHaveLength(1);
  });
});

describe("deadline and size cap", () => {
  it("a server that never answers times out at the deadline and the request is destroyed", async () => {
    const started = performance.now();
    const result = await allowed().fetch(get("/hang?id=1"), started + 200);
    const elapsed = performance.now() - started;
    expect(result).toEqual({ error: "request timed out" });
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(elapsed).toBeLessThan(2_000);
    await expect.poll(() => closedHanging).toContain("/hang?id=1");
  });

  it("a signal ends an exchange early, and the request is destroyed", async () => {
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 100);
    const result = await allowed().fetch(get("/hang?id=5"), performance.now() + 10_000, stop.signal);
    expect(result).toEqual({ error: "request cancelled: the run was stopped" });
    await expect.poll(() => closedHanging).toContain("/hang?id=5");
    const before = seen.length;
    expect(await allowed().fetch(get("/echo?never"), soon(), stop.signal)).toEqual({ error: "request cancelled: the run was stopped" });
    expect(seen).toHaveLength(before); // an aborted signal sends nothing
  });

  it("a body that never ends times out too", async () => {
    const result = await allowed().fetch(get("/slow-body?id=2"), performance.now() + 200);
    expect(result).toEqual({ error: "request timed out" });
    await expect.poll(() => closedHanging).toContain("/slow-body?id=2");
  });

  it("the deadline bounds the whole redirect chain", async () => {
    const to = encodeURIComponent("/hang?id=3");
    const result = await allowed().fetch(get(`/redirect?to=${to}`), performance.now() + 200);
    expect(result).toEqual({ error: "request timed out" });
    expect(seen.map((s) => s.url)).toEqual([`/redirect?to=${to}`, "/hang?id=3"]);
  });

  it("caps the body (chunked and with content-length)", async () => {
    const small = createEgressFetcher({ allow: ["127.0.0.1"], maxResponseBytes: 1024 });
    expect(ok(await small.fetch(get("/bytes?n=1024"), soon())).body).toHaveLength(1024);
    expect(ok(await small.fetch(get("/bytes?n=1024&cl=1"), soon())).body).toHaveLength(1024);
    expect(await small.fetch(get("/bytes?n=1025"), soon())).toEqual({ error: "response larger than 1024 bytes" });
    expect(await small.fetch(get("/bytes?n=1025&cl=1"), soon())).toEqual({ error: "response larger than 1024 bytes" });
    expect(await small.fetch(get("/bytes?n=5000000"), soon())).toEqual({ error: "response larger than 1024 bytes" });
  });

  it("defaults to 1 MiB", async () => {
    const fetcher = allowed();
    expect(ok(await fetcher.fetch(get("/bytes?n=1048576"), soon())).body).toHaveLength(1048576);
    expect(await fetcher.fetch(get("/bytes?n=1048577"), soon())).toEqual({ error: "response larger than 1048576 bytes" });
  });
});

describe("refusals past the first hop, as the metrics count them", () => {
  it("too many redirects, a redirect to a refused address and a response over the cap each report their reason", async () => {
    const reasons: string[] = [];
    const onRefusal = (reason: string) => void reasons.push(reason);
    const fetcher = createEgressFetcher({ allow: ["127.0.0.1"], lookup: resolver(ZONE).lookup, maxRedirects: 1, maxResponseBytes: 16, onRefusal });
    expect(await fetcher.fetch(get("/chain?n=2"), soon())).toHaveProperty("error");
    const to = encodeURIComponent("http://private.test/");
    expect(await fetcher.fetch(get(`/redirect?to=${to}`), soon())).toHaveProperty("error");
    expect(await fetcher.fetch(get("/bytes?n=17"), soon())).toEqual({ error: "response larger than 16 bytes" });
    expect(ok(await fetcher.fetch(get("/bytes?n=16"), soon())).body).toHaveLength(16);
    expect(reasons).toEqual(["redirects", "address", "response-too-large"]);
  });
});

describe("loopback forms with the server listening", () => {
  const forms = (p: number) => [
    `http://127.0.0.1:${p}/echo`,
    `http://localhost:${p}/echo`,
    `http://[::1]:${p}/echo`,
    `http://127.1:${p}/echo`,
    `http://0x7f000001:${p}/echo`,
    `http://2130706433:${p}/echo`,
    `http://[::ffff:127.0.0.1]:${p}/echo`,
    `http://0.0.0.0:${p}/echo`,
  ];

  it("are ALL refused by default (no allow list), without connecting", async () => {
    const fetcher = createEgressFetcher();
    for (const url of forms(port)) {
      const result = await fetcher.fetch({ url, method: "GET", headers: {} }, soon());
      expect(result, url).toEqual({ error: expect.stringMatching(/is denied \((loopback|unspecified|IPv4-mapped form of 127\.0\.0\.1: loopback)/) });
    }
    expect(guard.attempts).toEqual([]);
    expect(seen).toEqual([]);
  });

  it("with allow 127.0.0.1, only the spellings of 127.0.0.1 itself get through", async () => {
    const fetcher = createEgressFetcher({ allow: ["127.0.0.1"] });
    const results = new Map<string, EgressResult>();
    for (const url of forms(port)) results.set(url, await fetcher.fetch({ url, method: "GET", headers: {} }, soon()));
    const reached = [...results].filter(([, r]) => !("error" in r)).map(([u]) => u);
    expect(reached).toEqual([
      `http://127.0.0.1:${port}/echo`,
      `http://127.1:${port}/echo`,
      `http://0x7f000001:${port}/echo`,
      `http://2130706433:${port}/echo`,
    ]);
    expect(results.get(`http://localhost:${port}/echo`)).toEqual({ error: "host localhost is denied (loopback name localhost)" });
    expect(results.get(`http://[::1]:${port}/echo`)).toEqual({ error: "address ::1 is denied (loopback address ::1)" });
    expect(results.get(`http://[::ffff:127.0.0.1]:${port}/echo`)).toEqual({
      error: "address ::ffff:7f00:1 is denied (IPv4-mapped form of 127.0.0.1: loopback range 127.0.0.0/8)",
    });
    expect(results.get(`http://0.0.0.0:${port}/echo`)).toEqual({ error: "address 0.0.0.0 is denied (unspecified range 0.0.0.0/8)" });
    expect(guard.attempts.map((a) => a.host)).toEqual(["127.0.0.1", "127.0.0.1", "127.0.0.1", "127.0.0.1"]);
  });
});
