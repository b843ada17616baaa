import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { verifySignatureHeader } from "./verify-signature.js";

/**
 * The expected HMACs come from openssl, not from node:crypto, so a mistake in
 * how the code builds the signed message cannot hide in the test as well.
 */
function opensslHmac(key: string, t: number, body: Uint8Array): string {
  const run = spawnSync("openssl", ["dgst", "-sha256", "-hmac", key], {
    input: Buffer.concat([Buffer.from(`${t}.`), body]),
  });
  if (run.error || run.status !== 0) throw new Error(`openssl dgst failed: ${run.error?.message ?? run.stderr.toString()}`);
  const hex = /= ([0-9a-f]{64})\s*$/.exec(run.stdout.toString())?.[1];
  if (!hex) throw new Error(`unexpected openssl output: ${run.stdout.toString()}`);
  return hex;
}

const encode = (text: string) => new TextEncoder().encode(text);
const at = (seconds: number) => new Date(seconds * 1000);

/** Computed once with `printf '%s' '<t>.<body>' | openssl dgst -sha256 -hmac '<key>'` (OpenSSL 3.0). */
const vector = {
  key: "Pq2kT7vX9sLmN4wR8yZ1aB3cD5eF6gH0",
  t: 1764500000,
  body: '{"function":"function/preuserinfo","userinfo":{"sub":"312909075212468632","name":"Zoë"}}',
  hex: "33dce5a3b34fc23c64381e2ebf451a8be23f47b5957ef84f6f10883dd112b47c",
};

const key1 = "k1-9f8e7d6c5b4a39281706f5e4d3c2b1a0";
const key2 = "k2-0a1b2c3d4e5f60718293a4b5c6d7e8f9";
const t = 1764500000;
const body = encode('{"function":"function/preaccesstoken","user":{"id":"1","human":{"first_name":"Émile"}}}');

describe("verifySignatureHeader", () => {
  it("accepts the committed openssl vector", () => {
    const header = `t=${vector.t},v1=${vector.hex}`;
    expect(verifySignatureHeader(header, encode(vector.body), [vector.key], at(vector.t + 1))).toEqual({ ok: true, signedAt: vector.t });
  });

  it("agrees with openssl on a body computed now, as bytes, including non-ASCII", () => {
    const header = `t=${t},v1=${opensslHmac(key1, t, body)}`;
    expect(verifySignatureHeader(header, body, [key1], at(t))).toEqual({ ok: true, signedAt: t });
    // A key given as bytes is the same key.
    expect(verifySignatureHeader(header, body, [encode(key1)], at(t))).toMatchObject({ ok: true });
  });

  it("accepts a call signed with either key while both are held (rotation)", () => {
    for (const signing of [key1, key2]) {
      const header = `t=${t},v1=${opensslHmac(signing, t, body)}`;
      expect(verifySignatureHeader(header, body, [key1, key2], at(t))).toMatchObject({ ok: true });
    }
  });

  it("accepts a header with several v1 parts when any one matches", () => {
    const header = `t=${t},v1=${opensslHmac("some other key", t, body)},v1=${opensslHmac(key2, t, body)}`;
    expect(verifySignatureHeader(header, body, [key2], at(t))).toMatchObject({ ok: true });
  });

  it("refuses a call signed with a key rotated out", () => {
    const header = `t=${t},v1=${opensslHmac(key1, t, body)}`;
    expect(verifySignatureHeader(header, body, [key2], at(t))).toMatchObject({ ok: false, reason: "bad-signature" });
  });

  it("refuses when any byte of the body differs", () => {
    const header = `t=${t},v1=${opensslHmac(key1, t, body)}`;
    for (const index of [0, 20, body.length - 1]) {
      const changed = Uint8Array.from(body);
      changed[index]! ^= 0x01;
      expect(verifySignatureHeader(header, changed, [key1], at(t))).toMatchObject({ ok: false, reason: "bad-signature" });
    }
    // The same JSON re-serialised is other bytes.
    const reserialised = encode(JSON.stringify(JSON.parse(new TextDecoder().decode(body)), null, 1));
    expect(verifySignatureHeader(header, reserialised, [key1], at(t))).toMatchObject({ ok: false, reason: "bad-signature" });
    expect(verifySignatureHeader(header, Buffer.concat([body, encode("\n")]), [key1], at(t))).toMatchObject({ ok: false });
  });

  it("refuses a signature over another timestamp", () => {
    const header = `t=${t + 1},v1=${opensslHmac(key1, t, body)}`;
    expect(verifySignatureHeader(header, body, [key1], at(t))).toMatchObject({ ok: false, reason: "bad-signature" });
  });

  it("refuses a stale call even with a valid signature, and a replay once the tolerance has passed", () => {
    const header = `t=${t},v1=${opensslHmac(key1, t, body)}`;
    expect(verifySignatureHeader(header, body, [key1], at(t + 300))).toMatchObject({ ok: true });
    expect(verifySignatureHeader(header, body, [key1], at(t + 301))).toMatchObject({ ok: false, reason: "stale" });
    expect(verifySignatureHeader(header, body, [key1], at(t + 30), { toleranceSeconds: 10, futureSkewSeconds: 60 })).toMatchObject({
      ok: false,
      reason: "stale",
    });
  });

  it("refuses a call signed too far in the future, and allows the skew", () => {
    const header = `t=${t},v1=${opensslHmac(key1, t, body)}`;
    expect(verifySignatureHeader(header, body, [key1], at(t - 60))).toMatchObject({ ok: true });
    expect(verifySignatureHeader(header, body, [key1], at(t - 61))).toMatchObject({ ok: false, reason: "future" });
  });

  it("refuses missing and malformed headers before looking at keys", () => {
    expect(verifySignatureHeader(undefined, body, [key1], at(t))).toMatchObject({ ok: false, reason: "missing-signature" });
    expect(verifySignatureHeader(`v1=${opensslHmac(key1, t, body)}`, body, [key1], at(t))).toMatchObject({ reason: "malformed-signature" });
  });

  it("never accepts without a usable key; an empty key is no key", () => {
    const header = `t=${t},v1=${opensslHmac("", t, body)}`;
    expect(verifySignatureHeader(header, body, [], at(t))).toMatchObject({ ok: false, reason: "not-configured" });
    expect(verifySignatureHeader(header, body, [""], at(t))).toMatchObject({ ok: false, reason: "not-configured" });
  });

  it("keeps keys and signatures out of the refusal message", () => {
    const hex = opensslHmac(key1, t, body);
    const refusal = verifySignatureHeader(`t=${t},v1=${hex}`, body, [key2], at(t));
    expect(JSON.stringify(refusal)).not.toContain(key2);
    expect(JSON.stringify(refusal)).not.toContain(hex);
  });
});
