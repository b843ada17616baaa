import { describe, expect, it } from "vitest";
import { loadConfig } from "./config.js";

describe("loadConfig(): connection and memory limits", () => {
  it("has defaults that keep strangers from exhausting the server", () => {
    const config = loadConfig([], {});
    expect(config.connections).toMatchObject({
      firstBytesTimeoutMs: 5_000,
      idleTimeoutMs: 65_000,
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      maxStreamsPerSession: 250,
    });
    expect(config.connections.maxConnections).toBeGreaterThan(0);
    expect(config.connections.maxConnections).toBeLessThanOrEqual(10_000);
    expect(config.requestBufferBytes).toBe(64 * 1024 * 1024);
  });

  it("reads each from its flag or environment variable", () => {
    const config = loadConfig(["--max-connections", "100", "--first-bytes-timeout-ms", "300"], {
      ACTIOND_IDLE_TIMEOUT_MS: "1000",
      ACTIOND_HEADERS_TIMEOUT_MS: "200",
      ACTIOND_REQUEST_TIMEOUT_MS: "400",
      ACTIOND_MAX_STREAMS_PER_SESSION: "10",
      ACTIOND_REQUEST_BUFFER_BYTES: String(8 * 1024 * 1024),
    });
    expect(config.connections).toEqual({
      maxConnections: 100,
      firstBytesTimeoutMs: 300,
      idleTimeoutMs: 1000,
      headersTimeoutMs: 200,
      requestTimeoutMs: 400,
      maxStreamsPerSession: 10,
    });
    expect(config.requestBufferBytes).toBe(8 * 1024 * 1024);
  });

  it("refuses limits that cannot work together", () => {
    expect(() => loadConfig(["--max-connections", "0"], {})).toThrow(/--max-connections: expected a positive integer/);
    expect(() => loadConfig(["--headers-timeout-ms", "5000", "--request-timeout-ms", "1000"], {})).toThrow(
      /--request-timeout-ms: must be at least --headers-timeout-ms \(5000\)/,
    );
    expect(() => loadConfig(["--request-buffer-bytes", "1024"], {})).toThrow(/--request-buffer-bytes: must be at least --max-message-bytes/);
  });
});
