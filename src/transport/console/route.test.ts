import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NodeResponse } from "../node-http.js";
import { createConsoleRoute } from "./route.js";

/** The console's folder is outer/console; a file beside it must stay out of reach. */
let outer: string;
let server: http.Server;
let port: number;

beforeAll(async () => {
  outer = fs.mkdtempSync(path.join(os.tmpdir(), "actiond-console-route-"));
  const dir = path.join(outer, "console");
  fs.mkdirSync(path.join(dir, "assets"), { recursive: true });
  fs.writeFileSync(path.join(dir, "index.html"), "<!doctype html><title>console</title>");
  fs.writeFileSync(path.join(dir, "assets", "index-abc123.js"), `console.log(${JSON.stringify("x".repeat(2000))});`);
  fs.writeFileSync(path.join(outer, "secret.txt"), "secret");
  const route = createConsoleRoute({ dir, oidc: { issuer: "https://issuer.example.com/oauth", clientId: "console-1" } });
  server = http.createServer((req, res) => {
    if (!route(req, res as unknown as NodeResponse)) res.writeHead(418).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  fs.rmSync(outer, { recursive: true, force: true });
});

/** A raw GET, so that `..` and encodings reach the server as sent. */
function get(pathAndQuery: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: "127.0.0.1", port, path: pathAndQuery, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString("latin1") }));
      })
      .on("error", reject);
  });
}

describe("console route", () => {
  it("redirects / and /console to /console/, and leaves other paths alone", async () => {
    expect((await get("/")).headers.location).toBe("/console/");
    expect((await get("/console")).headers.location).toBe("/console/");
    expect((await get("/v1/executions")).status).toBe(418);
    expect((await get("/consoles")).status).toBe(418);
  });

  it("serves index.html for page URLs, uncached, under a CSP that names the issuer", async () => {
    for (const page of ["/console/", "/console/actions/123", "/console/flows?x=1"]) {
      const res = await get(page);
      expect(res.status).toBe(200);
      expect(res.body).toContain("<title>console</title>");
      expect(res.headers["cache-control"]).toBe("no-cache");
      expect(res.headers["content-type"]).toBe("text/html; charset=utf-8");
    }
    const csp = (await get("/console/")).headers["content-security-policy"]!;
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("connect-src 'self' https://issuer.example.com;");
    expect(csp).not.toContain("unsafe-eval");
  });

  it("tells the console where to sign in", async () => {
    const res = await get("/console/config.json");
    expect(res.headers["cache-control"]).toBe("no-cache");
    expect(JSON.parse(res.body)).toEqual({ oidc: { issuer: "https://issuer.example.com/oauth", clientId: "console-1" } });
  });

  it("serves hashed assets for good, gzipped when asked, with a working ETag", async () => {
    const plain = await get("/console/assets/index-abc123.js");
    expect(plain.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(plain.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(plain.headers["content-encoding"]).toBeUndefined();
    const gzipped = await get("/console/assets/index-abc123.js", { "accept-encoding": "gzip, br" });
    expect(gzipped.headers["content-encoding"]).toBe("gzip");
    expect(Number(gzipped.headers["content-length"])).toBeLessThan(Number(plain.headers["content-length"]));
    expect((await get("/console/assets/index-abc123.js", { "if-none-match": plain.headers.etag! })).status).toBe(304);
  });

  it("answers 404 for missing assets and anything outside the folder", async () => {
    for (const p of [
      "/console/assets/missing.js",
      "/console/../secret.txt",
      "/console/%2e%2e/secret.txt",
      "/console/..%2fsecret.txt",
      "/console/assets/..%2f..%2fsecret.txt",
      "/console/%E0%A4%A.js",
    ]) {
      expect((await get(p)).status, p).toBe(404);
    }
  });
});
