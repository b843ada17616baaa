import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "./config.js";

describe("loadConfig()", () => {
  it("defaults to 127.0.0.1:8080 and ./data", () => {
    const c = loadConfig([], {});
    expect(c).toMatchObject({ host: "127.0.0.1", port: 8080, dataDir: path.resolve("data"), maxMessageBytes: 4 * 1024 * 1024 });
  });

  it("takes flags over environment variables", () => {
    const c = loadConfig(["--listen", "[::1]:0"], { ACTIOND_LISTEN: "0.0.0.0:9", ACTIOND_DATA_DIR: "/tmp/x" });
    expect(c).toMatchObject({ host: "::1", port: 0, dataDir: "/tmp/x" });
  });

  it("rejects bad values with a message naming the option", () => {
    expect(() => loadConfig(["--listen", "8080"], {})).toThrow(/--listen/);
    expect(() => loadConfig([], { ACTIOND_MAX_MESSAGE_BYTES: "-1" })).toThrow(/--max-message-bytes/);
    expect(() => loadConfig(["--log-level", "loud"], {})).toThrow(/--log-level/);
    expect(() => loadConfig(["--bogus"], {})).toThrow(/bogus/);
  });

  it("takes the console's OIDC client only with an issuer to sign in through", () => {
    expect(loadConfig([], {}).consoleClientId).toBeUndefined();
    const c = loadConfig(["--oidc-issuer", "https://zitadel.example.com", "--console-client-id", "123@actiond"], {});
    expect(c.consoleClientId).toBe("123@actiond");
    expect(() => loadConfig([], { ACTIOND_CONSOLE_CLIENT_ID: "123@actiond" })).toThrow(/--console-client-id: needs --oidc-issuer/);
  });
});
