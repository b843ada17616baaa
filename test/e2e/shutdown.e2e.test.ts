import http2 from "node:http2";
import { describe, expect, it } from "vitest";
import { startTestServer } from "../support/test-server.js";

describe("graceful shutdown", () => {
  // With a grace period far beyond the test timeout, close() only finishes in
  // time if it closes idle connections itself instead of waiting them out.
  it("closes idle HTTP/1.1 keep-alive connections and HTTP/2 sessions without waiting for the grace period", async () => {
    const server = await startTestServer({ shutdownGraceMs: 10 * 60_000 });
    const h1 = await fetch(`${server.baseUrl}/management/v1/flows/types/_search`, {
      method: "POST",
      headers: { authorization: `Bearer ${server.adminToken}` },
    });
    expect(h1.status).toBe(200);
    await h1.text();
    const session = http2.connect(server.baseUrl);
    await new Promise<void>((resolve, reject) => session.once("connect", () => resolve()).once("error", reject));
    const closedByServer = new Promise<void>((resolve) => session.once("close", () => resolve()));

    await server.close();
    await closedByServer;
    // New connections are refused once closed.
    await expect(fetch(`${server.baseUrl}/management/v1/flows/types/_search`, { method: "POST" })).rejects.toThrow();
  }, 15_000);
});
