import { describe, expect, it } from "vitest";
import { checkTimestamp, parseSignatureHeader, preCheckSignatureHeader } from "./signature-header.js";

const hexA = "a".repeat(64);
const hexB = "0123456789abcdef".repeat(4);

describe("parseSignatureHeader", () => {
  it("reads t and every v1", () => {
    const parsed = parseSignatureHeader(`t=1764500000,v1=${hexA},v1=${hexB}`);
    expect(parsed).toEqual({
      ok: true,
      header: { timestamp: 1764500000, signatures: [Buffer.from(hexA, "hex"), Buffer.from(hexB, "hex")] },
    });
  });

  it("accepts the parts in any order, upper-case hex, and unknown keys (as ZITADEL's parser does)", () => {
    const parsed = parseSignatureHeader(`v0=zz,v1=${hexB.toUpperCase()},t=5,v2=whatever`);
    expect(parsed).toEqual({ ok: true, header: { timestamp: 5, signatures: [Buffer.from(hexB, "hex")] } });
  });

  it("skips a v1 that is not hex or not 32 bytes, and refuses when none is left", () => {
    for (const bad of ["xyz", "a".repeat(63), "a".repeat(66), "", "g".repeat(64)]) {
      const parsed = parseSignatureHeader(`t=5,v1=${bad},v1=${hexA}`);
      expect(parsed).toEqual({ ok: true, header: { timestamp: 5, signatures: [Buffer.from(hexA, "hex")] } });
      expect(parseSignatureHeader(`t=5,v1=${bad}`)).toMatchObject({ ok: false, reason: "malformed-signature" });
    }
  });

  it("tells a missing header from a malformed one", () => {
    expect(parseSignatureHeader(undefined)).toMatchObject({ ok: false, reason: "missing-signature" });
    expect(parseSignatureHeader("")).toMatchObject({ ok: false, reason: "missing-signature" });
  });

  const malformed: [string, string][] = [
    ["no t", `v1=${hexA}`],
    ["no v1", "t=5"],
    ["t not numeric", `t=abc,v1=${hexA}`],
    ["t empty", `t=,v1=${hexA}`],
    ["t negative", `t=-5,v1=${hexA}`],
    ["t with a sign", `t=+5,v1=${hexA}`],
    ["t with a leading zero (it would be signed without it)", `t=05,v1=${hexA}`],
    ["t fractional", `t=5.5,v1=${hexA}`],
    ["t beyond an exact number", `t=1234567890123456,v1=${hexA}`],
    ["two t", `t=5,t=6,v1=${hexA}`],
    ["a pair without =", `t=5,v1${hexA}`],
    ["a pair with two =", `t=5,v1=${hexA}=`],
    ["an empty pair (trailing comma)", `t=5,v1=${hexA},`],
    ["a lone comma", ","],
    ["a key with spaces (two headers joined by ', ')", `t=5,v1=${hexA}, t=6,v1=${hexB}`],
    ["an empty key", `t=5,=x,v1=${hexA}`],
    ["over 4096 characters", `t=5,${`v1=${hexA},`.repeat(70)}v1=${hexA}`],
  ];
  for (const [name, header] of malformed) {
    it(`refuses a header with ${name}`, () => {
      const parsed = parseSignatureHeader(header);
      expect(parsed).toMatchObject({ ok: false, reason: "malformed-signature" });
      if (!parsed.ok) expect(parsed.message).not.toContain(hexA); // the log line carries no signature
    });
  }
});

describe("checkTimestamp", () => {
  const window = { toleranceSeconds: 300, futureSkewSeconds: 60 };
  const at = (seconds: number) => new Date(seconds * 1000);

  it("accepts the past up to the tolerance, inclusive, and refuses beyond as stale", () => {
    expect(checkTimestamp(1000, at(1000), window)).toBeUndefined();
    expect(checkTimestamp(1000, at(1300), window)).toBeUndefined();
    expect(checkTimestamp(1000, new Date(1_300_001), window)).toMatchObject({ reason: "stale" });
    expect(checkTimestamp(1000, at(100_000), window)).toMatchObject({ reason: "stale" });
  });

  it("accepts the future up to the skew, inclusive, and refuses beyond", () => {
    expect(checkTimestamp(1060, at(1000), window)).toBeUndefined();
    expect(checkTimestamp(1061, at(1000), window)).toMatchObject({ reason: "future" });
    expect(checkTimestamp(1000, at(1000), { toleranceSeconds: 300, futureSkewSeconds: 0 })).toBeUndefined();
    expect(checkTimestamp(1001, at(1000), { toleranceSeconds: 300, futureSkewSeconds: 0 })).toMatchObject({ reason: "future" });
  });

  it("uses the configured tolerance", () => {
    expect(checkTimestamp(1000, at(1031), { toleranceSeconds: 30, futureSkewSeconds: 60 })).toMatchObject({ reason: "stale" });
  });
});

describe("preCheckSignatureHeader", () => {
  it("parses and checks the window without a body", () => {
    expect(preCheckSignatureHeader(`t=1000,v1=${hexA}`, new Date(1_000_000))).toMatchObject({ ok: true });
    expect(preCheckSignatureHeader(`t=1000,v1=${hexA}`, new Date(1_301_000))).toMatchObject({ ok: false, reason: "stale" });
    expect(preCheckSignatureHeader(`t=1000`, new Date(1_000_000))).toMatchObject({ ok: false, reason: "malformed-signature" });
    expect(preCheckSignatureHeader(undefined, new Date(1_000_000))).toMatchObject({ ok: false, reason: "missing-signature" });
  });
});
