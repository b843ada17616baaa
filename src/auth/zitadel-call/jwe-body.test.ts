import { createPublicKey, generateKeyPairSync } from "node:crypto";
import { CompactEncrypt } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { decryptJweBody } from "./jwe-body.js";
import { type JweKeyPair, generateJweKeyPair, jweKeyAlgorithm } from "./jwe-key-pair.js";
import { b64url } from "../../../test/support/oidc-issuer.js";

/** Stands for the inner JWS: decryption returns it unchecked, whatever it is. */
const inner = "eyJhbGciOiJFUzI1NiJ9.eyJmdW5jdGlvbiI6ImZ1bmN0aW9uL3ByZXVzZXJpbmZvIn0.c2lnbmF0dXJl";

interface Encryption {
  alg?: string;
  enc?: string;
  kid?: string;
  typ?: string | undefined;
  cty?: string | undefined;
  zip?: string;
}

/** A body as ZITADEL's encrypter writes it, to `pair`'s public key; `with` changes header fields. */
function encryptTo(pair: JweKeyPair, with_: Encryption = {}, plaintext = inner): Promise<string> {
  const header = { alg: jweKeyAlgorithm[pair.kind], enc: "A256GCM", typ: "JWT", cty: "JWT", kid: "zitadel-key-1", ...with_ };
  const present = Object.fromEntries(Object.entries(header).filter(([, v]) => v !== undefined)) as { alg: string; enc: string };
  return new CompactEncrypt(new TextEncoder().encode(plaintext)).setProtectedHeader(present).encrypt(createPublicKey(pair.publicKeyPem));
}

let rsa: JweKeyPair;
let ec: JweKeyPair;
let otherRsa: JweKeyPair;
let otherEc: JweKeyPair;

/** Another RSA target's keys; 2048 bits, since a second 3072-bit key would only slow the test. */
function smallRsaPair(): JweKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return {
    kind: "rsa",
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    privateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  };
}

beforeAll(async () => {
  [rsa, ec, otherEc] = await Promise.all([generateJweKeyPair("rsa"), generateJweKeyPair("ec"), generateJweKeyPair("ec")]);
  otherRsa = smallRsaPair();
});

describe("generateJweKeyPair", () => {
  it("gives an SPKI public key for ZITADEL and a PKCS#8 private key, RSA 3072 or EC P-256", () => {
    for (const pair of [rsa, ec]) {
      expect(pair.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n[\s\S]+\n-----END PUBLIC KEY-----\n$/);
      expect(pair.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n[\s\S]+\n-----END PRIVATE KEY-----\n$/);
    }
    expect(createPublicKey(rsa.publicKeyPem).asymmetricKeyDetails).toMatchObject({ modulusLength: 3072 });
    expect(createPublicKey(ec.publicKeyPem).asymmetricKeyDetails).toEqual({ namedCurve: "prime256v1" });
    expect(ec.publicKeyPem).not.toBe(otherEc.publicKeyPem);
  });
});

describe("decryptJweBody", () => {
  it("opens RSA-OAEP-256 and ECDH-ES+A256KW bodies with A256GCM and returns the inner JWS as is", async () => {
    for (const pair of [rsa, ec]) {
      expect(await decryptJweBody(await encryptTo(pair), pair.privateKeyPem)).toEqual({ ok: true, jws: inner });
    }
  });

  it("checks the kid only when the target knows the id ZITADEL gave its key", async () => {
    const body = await encryptTo(rsa, { kid: "zitadel-key-2" });
    expect(await decryptJweBody(body, rsa.privateKeyPem)).toMatchObject({ ok: true });
    expect(await decryptJweBody(body, rsa.privateKeyPem, "zitadel-key-2")).toMatchObject({ ok: true });
    expect(await decryptJweBody(body, rsa.privateKeyPem, "zitadel-key-1")).toMatchObject({ ok: false, reason: "unknown-key" });
    const withoutKid = await encryptTo(rsa, { kid: undefined });
    expect(await decryptJweBody(withoutKid, rsa.privateKeyPem, "zitadel-key-1")).toMatchObject({ ok: false, reason: "unknown-key" });
  });

  it("refuses a body encrypted to another key", async () => {
    expect(await decryptJweBody(await encryptTo(otherRsa), rsa.privateKeyPem)).toMatchObject({ ok: false, reason: "undecryptable" });
    expect(await decryptJweBody(await encryptTo(otherEc), ec.privateKeyPem)).toMatchObject({ ok: false, reason: "undecryptable" });
  });

  it("refuses a changed ciphertext, tag or header", async () => {
    const parts = (await encryptTo(ec)).split(".");
    const flip = (part: string) => {
      const bytes = Buffer.from(part, "base64url");
      bytes[0]! ^= 0x01;
      return bytes.toString("base64url");
    };
    for (const index of [3, 4]) {
      const changed = parts.map((p, i) => (i === index ? flip(p) : p)).join(".");
      expect(await decryptJweBody(changed, ec.privateKeyPem)).toMatchObject({ ok: false, reason: "undecryptable" });
    }
    // The header is authenticated: a kid swapped after encryption does not decrypt.
    const header = JSON.parse(Buffer.from(parts[0]!, "base64url").toString());
    const swapped = [b64url({ ...header, kid: "other" }), ...parts.slice(1)].join(".");
    expect(await decryptJweBody(swapped, ec.privateKeyPem)).toMatchObject({ ok: false, reason: "undecryptable" });
  });

  it("refuses any algorithm but the one ZITADEL uses for the key's kind", async () => {
    const cases: [JweKeyPair, Encryption][] = [
      [rsa, { alg: "RSA-OAEP" }],
      [rsa, { alg: "RSA-OAEP-384" }],
      [ec, { alg: "ECDH-ES" }],
      [ec, { alg: "ECDH-ES+A128KW" }],
      [rsa, { enc: "A128GCM" }],
      [rsa, { enc: "A256CBC-HS512" }],
      [ec, { enc: "A192GCM" }],
    ];
    for (const [pair, change] of cases) {
      const refusal = await decryptJweBody(await encryptTo(pair, change), pair.privateKeyPem);
      expect(refusal, JSON.stringify(change)).toMatchObject({ ok: false, reason: "algorithm-not-allowed" });
    }
    // An EC body presented to an RSA target.
    expect(await decryptJweBody(await encryptTo(ec), rsa.privateKeyPem)).toMatchObject({ ok: false, reason: "algorithm-not-allowed" });
    // dir: the content key in the clear of a shared secret ZITADEL never has.
    const dir = `${b64url({ alg: "dir", enc: "A256GCM", typ: "JWT", cty: "JWT" })}.AA.AAAAAAAAAAAAAAAA.AAAA.AAAAAAAAAAAAAAAAAAAAAA`;
    expect(await decryptJweBody(dir, rsa.privateKeyPem)).toMatchObject({ ok: false, reason: "algorithm-not-allowed" });
  });

  it("refuses a header without typ and cty JWT", async () => {
    for (const change of [{ typ: undefined }, { cty: undefined }, { cty: "json" }]) {
      expect(await decryptJweBody(await encryptTo(rsa, change), rsa.privateKeyPem)).toMatchObject({ ok: false, reason: "malformed-body" });
    }
  });

  it("refuses a compressed body", async () => {
    const body = await encryptTo(ec, { zip: "DEF" });
    expect(await decryptJweBody(body, ec.privateKeyPem)).toMatchObject({ ok: false, reason: "algorithm-not-allowed" });
  });

  it("refuses what is not a compact JWE", async () => {
    for (const body of ["", inner, "a.b.c.d", "a..c.d.e", `${await encryptTo(rsa)} `]) {
      expect(await decryptJweBody(body, rsa.privateKeyPem)).toMatchObject({ ok: false, reason: "malformed-body" });
    }
  });

  it("says when the target's private key is unusable", async () => {
    const body = await encryptTo(rsa);
    expect(await decryptJweBody(body, "not a key")).toMatchObject({ ok: false, reason: "not-configured" });
    const ed = generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    expect(await decryptJweBody(body, ed)).toMatchObject({ ok: false, reason: "not-configured" });
  });
});
