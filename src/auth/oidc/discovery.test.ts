import { describe, expect, it } from "vitest";
import { type DiscoveryResult, cacheDiscovery, discoveryUrl } from "./discovery.js";

const good: DiscoveryResult = { ok: true, metadata: { jwksUri: new URL("https://issuer.example/keys") } };
const bad: DiscoveryResult = { ok: false, detail: "down" };

describe("discoveryUrl", () => {
  it("appends the well-known path, with or without a trailing slash", () => {
    expect(discoveryUrl("https://id.example.com").href).toBe("https://id.example.com/.well-known/openid-configuration");
    expect(discoveryUrl("https://id.example.com/").href).toBe("https://id.example.com/.well-known/openid-configuration");
    expect(discoveryUrl("https://example.com/tenant").href).toBe("https://example.com/tenant/.well-known/openid-configuration");
  });
});

describe("cacheDiscovery", () => {
  it("loads once on first use and keeps a success", async () => {
    let loads = 0;
    const discover = cacheDiscovery(async () => (loads++, good), 0);
    expect(loads).toBe(0); // lazy
    const results = await Promise.all([discover(), discover(), discover()]);
    expect(results).toEqual([good, good, good]);
    await discover();
    expect(loads).toBe(1);
  });

  it("keeps a failure only for retryAfterMs, then asks again", async () => {
    let clock = 0;
    const answers = [bad, good];
    let loads = 0;
    const discover = cacheDiscovery(async () => answers[loads++]!, 1000, () => clock);
    expect(await discover()).toEqual(bad);
    clock = 999;
    expect(await discover()).toEqual(bad);
    expect(loads).toBe(1);
    clock = 1000;
    expect(await discover()).toEqual(good);
    expect(loads).toBe(2);
  });

  it("turns a throwing loader into a failure, not a rejection", async () => {
    const discover = cacheDiscovery(async () => {
      throw new Error("boom");
    }, 0);
    expect(await discover()).toEqual({ ok: false, detail: "boom" });
  });
});
