import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "./config.js";

describe("loadConfig(): TLS", () => {
  it("serves cleartext unless both files are given", () => {
    expect(loadConfig([], {}).tls).toBeUndefined();
  });

  it("takes the pair from flags or environment variables, as absolute paths", () => {
    expect(loadConfig(["--tls-cert", "c.pem", "--tls-key", "k.pem"], {}).tls).toEqual({ certFile: path.resolve("c.pem"), keyFile: path.resolve("k.pem") });
    expect(loadConfig([], { ACTIOND_TLS_CERT: "/etc/a.crt", ACTIOND_TLS_KEY: "/etc/a.key" }).tls).toEqual({ certFile: "/etc/a.crt", keyFile: "/etc/a.key" });
  });

  it("refuses one file without the other", () => {
    expect(() => loadConfig(["--tls-cert", "c.pem"], {})).toThrow("--tls-cert and --tls-key go together: --tls-key is missing");
    expect(() => loadConfig([], { ACTIOND_TLS_KEY: "k.pem" })).toThrow("--tls-cert and --tls-key go together: --tls-cert is missing");
  });
});
