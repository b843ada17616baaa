import { CompactSign, exportSPKI } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIssuerKeys } from "../oidc/index.js";
import { verifyJwsBody } from "./jws-body.js";
import { type SigningKey, type TestIssuer, b64url, makeSigningKey, signToken, startTestIssuer } from "../../../test/support/oidc-issuer.js";

const call = '{"function":"function/preuserinfo","userinfo":{"sub":"312909075212468632","name":"Zoë"}}';

/** A body as ZITADEL's signer writes it: the call's bytes as the payload, `typ: JWT`, the web key's kid. */
function signBody(key: SigningKey, payload = call, header: Record<string, unknown> = {}): Promise<string> {
  return new CompactSign(new TextEncoder().encode(payload))
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: "JWT", ...header })
    .sign(key.privateKey);
}

const issuers: TestIssuer[] = [];
let issuer: TestIssuer;
let rsa: SigningKey;
let ec: SigningKey;

beforeAll(async () => {
  issuer = await startTestIssuer();
  issuers.push(issuer);
  rsa = await makeSigningKey("web-rsa", "RS256");
  ec = await makeSigningKey("web-ec", "ES256");
  issuer.serveKeys([rsa, ec]);
});

afterAll(async () => {
  await Promise.all(issuers.map((i) => i.close()));
});

const keysOf = (i: TestIssuer) => createIssuerKeys({ issuer: i.url, jwksCooldownMs: 0, discoveryRetryMs: 0 });

describe("verifyJwsBody against an issuer on loopback", () => {
  it("returns the payload bytes exactly, for RSA and EC web keys", async () => {
    for (const key of [rsa, ec]) {
      const result = await verifyJwsBody(await signBody(key), keysOf(issuer));
      expect(result).toMatchObject({ ok: true });
      if (result.ok) expect(Buffer.from(result.payload).toString("utf8")).toBe(call);
    }
  });

  it("refuses a body signed by a key of another issuer under a known kid", async () => {
    const impostor = await makeSigningKey(rsa.kid, "RS256");
    expect(await verifyJwsBody(await signBody(impostor), keysOf(issuer))).toMatchObject({ ok: false, reason: "bad-signature" });
  });

  it("refuses a changed payload", async () => {
    const [header, , signature] = (await signBody(rsa)).split(".");
    const forged = `${header}.${Buffer.from(call.replace("Zoë", "Eve")).toString("base64url")}.${signature}`;
    expect(await verifyJwsBody(forged, keysOf(issuer))).toMatchObject({ ok: false, reason: "bad-signature" });
  });

  it("refuses HS256 keyed with the public key, and none, without asking the issuer", async () => {
    const fresh = await startTestIssuer();
    issuers.push(fresh);
    fresh.serveKeys([rsa]);
    const secret = new TextEncoder().encode(await exportSPKI(rsa.publicKey));
    const hs = await new CompactSign(new TextEncoder().encode(call))
      .setProtectedHeader({ alg: "HS256", kid: rsa.kid, typ: "JWT" })
      .sign(secret);
    expect(await verifyJwsBody(hs, keysOf(fresh))).toMatchObject({ ok: false, reason: "algorithm-not-allowed" });
    const none = `${b64url({ alg: "none", typ: "JWT" })}.${Buffer.from(call).toString("base64url")}.c2ln`;
    expect(await verifyJwsBody(none, keysOf(fresh))).toMatchObject({ ok: false, reason: "algorithm-not-allowed" });
    expect(fresh.hits).toEqual({ discovery: 0, jwks: 0 });
  });

  it("refetches the JWKS on an unknown kid and accepts the new web key once served", async () => {
    const own = await startTestIssuer();
    issuers.push(own);
    own.serveKeys([rsa]);
    const keys = keysOf(own);
    expect(await verifyJwsBody(await signBody(rsa), keys)).toMatchObject({ ok: true });
    const rotated = await makeSigningKey("web-rsa-2", "RS256");
    expect(await verifyJwsBody(await signBody(rotated), keys)).toMatchObject({ ok: false, reason: "unknown-key" });
    own.serveKeys([rsa, rotated]);
    const before = own.hits.jwks;
    expect(await verifyJwsBody(await signBody(rotated), keys)).toMatchObject({ ok: true });
    expect(own.hits.jwks).toBe(before + 1);
    expect(own.hits.discovery).toBe(1);
  });

  it("refuses a header without typ JWT, or with b64 or crit", async () => {
    for (const header of [{ typ: undefined }, { typ: "at+jwt" }]) {
      expect(await verifyJwsBody(await signBody(rsa, call, header), keysOf(issuer))).toMatchObject({ ok: false, reason: "malformed-body" });
    }
    const unencoded = `${b64url({ alg: "RS256", kid: rsa.kid, typ: "JWT", b64: false, crit: ["b64"] })}.${Buffer.from("e30").toString("base64url")}.c2ln`;
    expect(await verifyJwsBody(unencoded, keysOf(issuer))).toMatchObject({ ok: false, reason: "malformed-body" });
  });

  it("refuses an access or ID token of the same issuer posted as a call", async () => {
    // ZITADEL's tokens carry typ JWT too: only the claims tell them apart.
    const header = { alg: rsa.alg, kid: rsa.kid, typ: "JWT" };
    const claims = { function: "function/preuserinfo" };
    const token = await signToken({ key: rsa, issuer: issuer.url, subject: "user-1", claims, header });
    expect(await verifyJwsBody(token, keysOf(issuer))).toMatchObject({
      ok: false,
      reason: "malformed-body",
      message: expect.stringContaining("token"),
    });
    const withoutExp = await signToken({ key: rsa, issuer: issuer.url, expiresAt: null, header });
    expect(await verifyJwsBody(withoutExp, keysOf(issuer))).toMatchObject({ ok: false, reason: "malformed-body" });
  });

  it("refuses a signed payload that is not a JSON object", async () => {
    for (const payload of ["[]", "null", "not json", '"text"']) {
      expect(await verifyJwsBody(await signBody(rsa, payload), keysOf(issuer))).toMatchObject({ ok: false, reason: "malformed-body" });
    }
  });

  it("refuses what is not a compact JWS", async () => {
    for (const body of ["", call, "a.b", "a.b.c.d.e", `${await signBody(rsa)}\n`, "e30.e30.c2ln"]) {
      expect(await verifyJwsBody(body, keysOf(issuer))).toMatchObject({ ok: false });
    }
  });

  it("says when the issuer cannot be reached, apart from a bad body", async () => {
    const down = await startTestIssuer();
    issuers.push(down);
    down.failWith = 503;
    const result = await verifyJwsBody(await signBody(rsa), keysOf(down));
    expect(result).toMatchObject({ ok: false, reason: "issuer-unavailable" });
  });
});
