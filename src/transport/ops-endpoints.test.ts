import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Logger } from "../logger.js";
import { createHealthStatus } from "./health.js";
import { healthEndpoints } from "./health-endpoints.js";
import { metricsEndpoint } from "./metrics-endpoint.js";
import { createOpsEndpoints } from "./ops-endpoints.js";

const health = createHealthStatus();
const errors: string[] = [];
const log: Logger = { debug() {}, info() {}, warn() {}, error: (msg) => void errors.push(msg) };
let exposition = async () => "# a scrape\n";
let server: http.Server;
let base: string;

beforeAll(async () => {
  const ops = createOpsEndpoints({ ...healthEndpoints(health), ...metricsEndpoint({ contentType: "text/plain; version=0.0.4", metrics: () => exposition() }) }, log);
  server = http.createServer((req, res) => {
    if (!ops(req, res)) res.writeHead(404).end("not ours");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

async function ask(path: string, method = "GET") {
  const res = await fetch(base + path, { method });
  return { status: res.status, body: await res.text(), type: res.headers.get("content-type"), cache: res.headers.get("cache-control"), allow: res.headers.get("allow") };
}

describe("the operational endpoints", () => {
  it("/healthz is alive, /readyz follows the health service's status, both never cached", async () => {
    expect(await ask("/healthz")).toMatchObject({ status: 200, body: "alive\n", type: "text/plain; charset=utf-8", cache: "no-store" });
    expect(await ask("/readyz")).toMatchObject({ status: 200, body: "ready\n", cache: "no-store" });
    health.setServing(false);
    expect(await ask("/readyz")).toMatchObject({ status: 503, body: "not ready\n", cache: "no-store" });
    expect((await ask("/healthz")).status).toBe(200);
    health.setServing(true);
    expect((await ask("/readyz?probe=lb")).status).toBe(200);
  });

  it("/metrics serves the exposition with its content type", async () => {
    expect(await ask("/metrics")).toMatchObject({ status: 200, body: "# a scrape\n", type: "text/plain; version=0.0.4", cache: "no-store" });
  });

  it("answers HEAD without a body and any other method 405", async () => {
    for (const path of ["/healthz", "/readyz", "/metrics"]) {
      expect(await ask(path, "HEAD"), path).toMatchObject({ status: 200, body: "" });
      expect(await ask(path, "POST"), path).toMatchObject({ status: 405, allow: "GET, HEAD" });
    }
  });

  it("leaves every other path to the rest of the server", async () => {
    for (const path of ["/", "/metrics/x", "/healthz/", "/management/v1/healthz"]) expect(await ask(path), path).toMatchObject({ status: 404, body: "not ours" });
  });

  it("answers 500 when the exposition fails, and logs it", async () => {
    exposition = () => Promise.reject(new Error("collector broke"));
    expect(await ask("/metrics")).toMatchObject({ status: 500, body: "internal error\n" });
    expect(errors).toEqual(["operational endpoint failed"]);
  });
});
