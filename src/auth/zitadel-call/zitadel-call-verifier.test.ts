import { createHmac, createPublicKey } from "node:crypto";
import { CompactEncrypt, CompactSign } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type JweKeyPair, generateJweKeyPair, jweKeyAlgorithm } from "./jwe-key-pair.js";
import { type ZitadelCall, type ZitadelCallVerifierOptions, createZitadelCallVerifier } from "./zitadel-call-verifier.js";
import { type SigningKey, type TestIssuer, makeSigningKey, startTestIssuer } from "../../../test/support/oidc-issuer.js";

// The HMAC itself is checked against openssl in verify-signature.test.ts; here it only has to be ZITADEL's format.
const signatureOf = (key: string, t: number, body: Uint8Array | string) =>
  `t=${t},v1=${createHmac("sha256", key).update(`${t}.`).update(body).digest("hex")}`;

const call = '{"function":"function/presamlresponse","user":{"id":"312909075212468632","human":{"first_name":"Zoë"}}}';
const callBytes = new TextEncoder().encode(call);
const signingKey = "zitadel-signing-key-0123456789abcdef";
const t = 1764500000;

const signJws = (key: SigningKey, payload = call) =>
  new CompactSign(new TextEncoder().encode(payload)).setProtectedHeader({ alg: key.alg, kid: key.kid, typ: "JWT" }).sign(key.privateKey);
const encryptJwe = (pair: JweKeyPair, jws: string, kid = "pk-1") =>
  new CompactEncrypt(new TextEncoder().encode(jws))
    .setProtectedHeader({ alg: jweKeyAlgorithm[pair.kind], enc: "A256GCM", typ: "JWT", cty: "JWT", kid })
    .encrypt(createPublicKey(pair.publicKeyPem));

function headers(values: Record<string, string>): (name: string) => string | undefined {
  return (name) => values[name];
}

const issuers: TestIssuer[] = [];
let issuer: TestIssuer;
let otherIssuer: TestIssuer;
let webKey: SigningKey;
let otherWebKey: SigningKey;
let jweKeys: JweKeyPair;

beforeAll(async () => {
  [issuer, otherIssuer] = await Promise.all([startTestIssuer(), startTestIssuer()]);
  issuers.push(issuer, otherIssuer);
  webKey = await makeSigningKey("web-1", "ES256");
  otherWebKey = await makeSigningKey("web-1", "ES256"); // same kid, another instance
  issuer.serveKeys([webKey]);
  otherIssuer.serveKeys([otherWebKey]);
  jweKeys = await generateJweKeyPair("ec");
});

afterAll(async () => {
  await Promise.all(issuers.map((i) => i.close()));
});

function verifier(options: ZitadelCallVerifierOptions = {}) {
  return createZitadelCallVerifier({ now: () => new Date((t + 2) * 1000), jwksCooldownMs: 0, discoveryRetryMs: 0, ...options });
}

function jsonCall(body: Uint8Array, values: Record<string, string>): ZitadelCall {
  return { payloadType: "json", header: headers(values), body, signingKeys: [signingKey] };
}

describe("createZitadelCallVerifier, PAYLOAD_TYPE_JSON", () => {
  it("accepts a signed body and returns its exact bytes", async () => {
    const result = await verifier().verify(jsonCall(callBytes, { "zitadel-signature": signatureOf(signingKey, t, callBytes) }));
    expect(result).toEqual({ ok: true, json: callBytes, signedAt: t });
  });

  it("refuses a body without the header, or with the header under a name it does not read", async () => {
    expect(await verifier().verify(jsonCall(callBytes, {}))).toMatchObject({ ok: false, reason: "missing-signature" });
    const wrongName = { "x-zitadel-signature": signatureOf(signingKey, t, callBytes) };
    expect(await verifier().verify(jsonCall(callBytes, wrongName))).toMatchObject({ ok: false, reason: "missing-signature" });
  });

  it("refuses a replay once the tolerance has passed, and honours a configured tolerance and skew", async () => {
    const call = jsonCall(callBytes, { "zitadel-signature": signatureOf(signingKey, t, callBytes) });
    expect(await verifier({ now: () => new Date((t + 301) * 1000) }).verify(call)).toMatchObject({ ok: false, reason: "stale" });
    expect(await verifier({ now: () => new Date((t + 20) * 1000), toleranceSeconds: 10 }).verify(call)).toMatchObject({ reason: "stale" });
    expect(await verifier({ now: () => new Date((t - 61) * 1000) }).verify(call)).toMatchObject({ ok: false, reason: "future" });
    expect(await verifier({ now: () => new Date((t - 5) * 1000), futureSkewSeconds: 0 }).verify(call)).toMatchObject({ reason: "future" });
  });

  it("refuses a target without keys", async () => {
    const call = { ...jsonCall(callBytes, { "zitadel-signature": signatureOf(signingKey, t, callBytes) }), signingKeys: [] };
    expect(await verifier().verify(call)).toMatchObject({ ok: false, reason: "not-configured" });
  });
});

describe("preCheck", () => {
  const pre = (payloadType: "json" | "jwt" | "jwe", values: Record<string, string>) =>
    verifier().preCheck({ payloadType, header: headers(values) });

  it("refuses before the body is read: missing (JSON only), malformed, stale", () => {
    expect(pre("json", {})).toMatchObject({ reason: "missing-signature" });
    expect(pre("jwt", {})).toBeUndefined();
    expect(pre("jwe", {})).toBeUndefined();
    for (const type of ["json", "jwt", "jwe"] as const) {
      expect(pre(type, { "zitadel-signature": "t=abc" })).toMatchObject({ reason: "malformed-signature" });
      expect(pre(type, { "zitadel-signature": signatureOf(signingKey, t - 400, "") })).toMatchObject({ reason: "stale" });
      expect(pre(type, { "zitadel-signature": signatureOf(signingKey, t, "any body") })).toBeUndefined();
    }
  });
});

describe("createZitadelCallVerifier, PAYLOAD_TYPE_JWT", () => {
  const jwtCall = (body: string, values: Record<string, string> = {}, issuerUrl = issuer.url): ZitadelCall => ({
    payloadType: "jwt",
    header: headers(values),
    body: new TextEncoder().encode(body),
    signingKeys: [signingKey],
    issuer: issuerUrl,
  });

  it("accepts a JWS with no header, on its signature alone", async () => {
    const result = await verifier().verify(jwtCall(await signJws(webKey)));
    expect(result).toEqual({ ok: true, json: callBytes, signedAt: undefined });
  });

  it("accepts a JWS whose header signs the JWS string as received", async () => {
    const jws = await signJws(webKey);
    const result = await verifier().verify(jwtCall(jws, { "zitadel-signature": signatureOf(signingKey, t, jws) }));
    expect(result).toEqual({ ok: true, json: callBytes, signedAt: t });
  });

  it("refuses a good JWS when a header is sent and does not verify, or is stale", async () => {
    const jws = await signJws(webKey);
    const overPayload = signatureOf(signingKey, t, call); // over the JSON, not over the body received
    expect(await verifier().verify(jwtCall(jws, { "zitadel-signature": overPayload }))).toMatchObject({ ok: false, reason: "bad-signature" });
    const otherKey = signatureOf("rotated-out", t, jws);
    expect(await verifier().verify(jwtCall(jws, { "zitadel-signature": otherKey }))).toMatchObject({ ok: false, reason: "bad-signature" });
    const stale = signatureOf(signingKey, t - 400, jws);
    expect(await verifier().verify(jwtCall(jws, { "zitadel-signature": stale }))).toMatchObject({ ok: false, reason: "stale" });
  });

  it("refuses a JWS signed by another instance under the same kid", async () => {
    expect(await verifier().verify(jwtCall(await signJws(otherWebKey)))).toMatchObject({ ok: false, reason: "bad-signature" });
  });

  it("refuses a JSON body on a JWT target, a JWS with a byte-order mark, and a target without issuer", async () => {
    expect(await verifier().verify(jwtCall(call))).toMatchObject({ ok: false, reason: "malformed-body" });
    expect(await verifier().verify(jwtCall(`\uFEFF${await signJws(webKey)}`))).toMatchObject({ ok: false, reason: "malformed-body" });
    const noIssuer = { ...jwtCall(await signJws(webKey)), issuer: undefined };
    expect(await verifier().verify(noIssuer)).toMatchObject({ ok: false, reason: "not-configured" });
  });

  it("keeps one key cache per issuer", async () => {
    const own = await startTestIssuer();
    issuers.push(own);
    own.serveKeys([webKey]);
    const v = verifier();
    for (let i = 0; i < 3; i++) expect(await v.verify(jwtCall(await signJws(webKey), {}, own.url))).toMatchObject({ ok: true });
    expect(own.hits).toEqual({ discovery: 1, jwks: 1 });
  });
});

describe("createZitadelCallVerifier, PAYLOAD_TYPE_JWE", () => {
  const jweCall = (body: string, values: Record<string, string> = {}): ZitadelCall => ({
    payloadType: "jwe",
    header: headers(values),
    body: new TextEncoder().encode(body),
    signingKeys: [signingKey],
    issuer: issuer.url,
    jwePrivateKeyPem: jweKeys.privateKeyPem,
    jweKeyId: "pk-1",
  });

  it("decrypts, verifies the inner JWS and returns its payload, with or without a header", async () => {
    const jwe = await encryptJwe(jweKeys, await signJws(webKey));
    expect(await verifier().verify(jweCall(jwe))).toEqual({ ok: true, json: callBytes, signedAt: undefined });
    const signed = jweCall(jwe, { "zitadel-signature": signatureOf(signingKey, t, jwe) });
    expect(await verifier().verify(signed)).toEqual({ ok: true, json: callBytes, signedAt: t });
  });

  it("refuses a JWE whose inner JWS another instance signed: encrypting proves nothing", async () => {
    const jwe = await encryptJwe(jweKeys, await signJws(otherWebKey));
    expect(await verifier().verify(jweCall(jwe))).toMatchObject({ ok: false, reason: "bad-signature" });
  });

  it("refuses a JWE whose plaintext is no JWS, or the call in the clear", async () => {
    expect(await verifier().verify(jweCall(await encryptJwe(jweKeys, call)))).toMatchObject({ ok: false, reason: "malformed-body" });
    expect(await verifier().verify(jweCall(await signJws(webKey)))).toMatchObject({ ok: false, reason: "malformed-body" });
  });

  it("refuses a JWE for another key id, and a target without private key", async () => {
    const jwe = await encryptJwe(jweKeys, await signJws(webKey), "pk-0");
    expect(await verifier().verify(jweCall(jwe))).toMatchObject({ ok: false, reason: "unknown-key" });
    expect(await verifier().verify({ ...jweCall(jwe), jwePrivateKeyPem: undefined })).toMatchObject({ ok: false, reason: "not-configured" });
  });

  it("checks the header before decrypting", async () => {
    const jwe = await encryptJwe(jweKeys, await signJws(webKey));
    expect(await verifier().verify(jweCall(jwe, { "zitadel-signature": "garbage" }))).toMatchObject({ reason: "malformed-signature" });
  });
});
