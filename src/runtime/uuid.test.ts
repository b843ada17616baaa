import { describe, expect, it } from "vitest";
import { formatUuid, parseUuid, uuidFromName, uuidNamespaces, uuidV1 } from "./uuid.js";

const dns = parseUuid(uuidNamespaces.namespaceDNS) as Uint8Array;
const url = parseUuid(uuidNamespaces.namespaceURL) as Uint8Array;

describe("uuid", () => {
  it("matches the RFC 4122 / Python uuid reference vectors for v3 and v5", () => {
    const name = Buffer.from("python.org");
    expect(uuidFromName(3, dns, name)).toBe("6fa459ea-ee8a-3ca4-894e-db77e160355e");
    expect(uuidFromName(5, dns, name)).toBe("886313e1-3b8a-5372-9b90-0c9aee199e5d");
    expect(uuidFromName(5, url, Buffer.from("http://python.org/"))).toBe("4c565f0d-3f5a-5890-b41b-20cf47701c5e");
  });

  it("makes time-based v1 UUIDs that carry the time and never repeat", () => {
    const at = Date.UTC(2024, 0, 1);
    const ids = Array.from({ length: 1000 }, () => uuidV1(at));
    expect(new Set(ids).size).toBe(1000);
    const first = ids[0] as string;
    expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const hex = first.replace(/-/g, "");
    const time = BigInt(`0x${hex.slice(13, 16)}${hex.slice(8, 12)}${hex.slice(0, 8)}`);
    expect(Number(time / 10_000n - 12_219_292_800_000n)).toBe(at);
    expect(parseInt(hex.slice(20, 22), 16) & 0x01).toBe(1);
  });

  it("parses the usual UUID spellings and refuses others", () => {
    const canonical = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";
    for (const text of [canonical, canonical.toUpperCase(), `{${canonical}}`, `urn:uuid:${canonical}`, canonical.replace(/-/g, "")]) {
      expect(formatUuid(parseUuid(text) as Uint8Array)).toBe(canonical);
    }
    expect(parseUuid("6ba7b810")).toBeUndefined();
    expect(parseUuid("zzzzzzzz-9dad-11d1-80b4-00c04fd430c8")).toBeUndefined();
  });
});
