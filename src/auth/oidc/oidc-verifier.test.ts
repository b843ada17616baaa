import { SignJWT, exportSPKI } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { zitadelOrgClaim, zitadelRolesClaim } from "./oidc-identity.js";
import { type OidcVerifierOptions, createOidcVerifier, looksLikeJwt } from "./oidc-verifier.js";
import type { OidcRefusal } from "./refusal.js";
import {
  type SigningKey,
  type TestIssuer,
  type TokenOptions,
  b64url,
  freePort,
  makeSigningKey,
  nowSec,
  signToken,
  startTestIssuer,
} from "../../../test/support/oidc-issuer.js";

const audience = "actiond-project";
const zitadelClaims = {
  [zitadelOrgClaim]: "org-a",
  [zitadelRolesClaim]: {
    ORG_OWNER: { "org-a": "a.example.com" },
    ORG_OWNER_VIEWER: { "org-b": "b.example.com" },
  },
};

const issuers: TestIssuer[] = [];
async function newIssuer(port?: number): Promise<TestIssuer> {
  const issuer = await startTestIssuer(port);
  issuers.push(issuer);
  return issuer;
}

let shared: TestIssuer;
let rsa: SigningKey;
const otherAlgKeys: SigningKey[] = [];

beforeAll(async () => {
  shared = await newIssuer();
  rsa = await makeSigningKey("rsa-1", "RS256");
  for (const alg of ["ES256", "PS256", "EdDSA"]) otherAlgKeys.push(await makeSigningKey(`${alg}-1`, alg));
  shared.serveKeys([rsa, ...otherAlgKeys]);
});

afterAll(async () => {
  await Promise.all(issuers.map((i) => i.close()));
});

function verifierFor(issuer: TestIssuer, options: Partial<OidcVerifierOptions> = {}) {
  // No cooldown and no failure memo unless a test asks: each test drives the issuer itself.
  return createOidcVerifier({ issuer: issuer.url, audience, jwksCooldownMs: 0, discoveryRetryMs: 0, ...options });
}

function token(options: Partial<TokenOptions> = {}): Promise<string> {
  return signToken({ key: rsa, issuer: shared.url, audience, subject: "user-1", claims: zitadelClaims, ...options });
}

async function expectRefused(
  verifier: ReturnType<typeof createOidcVerifier>,
  jwt: string,
  refusal: Partial<OidcRefusal> & { reason: OidcRefusal["reason"] },
) {
  const result = await verifier.check(jwt);
  expect(result).toMatchObject({ ok: false, ...refusal });
  // What a caller might log must not carry the token.
  if (jwt.length > 0) expect(JSON.stringify(result)).not.toContain(jwt);
  expect(await verifier.verify(jwt)).toBeUndefined();
}

describe("OIDC verifier against a real issuer on loopback", () => {
  it("accepts a good token and extracts subject, org and roles", async () => {
    const identity = await verifierFor(shared).verify(
      await token({ claims: { ...zitadelClaims, [zitadelRolesClaim]: { ...zitadelClaims[zitadelRolesClaim], IAM_OWNER: { "org-a": "a" } } } }),
    );
    expect(identity).toBeDefined();
    expect(identity!.subject).toBe("user-1");
    expect(identity!.orgId).toBe("org-a");
    expect(Object.fromEntries(identity!.rolesByOrg)).toEqual({ "org-a": ["ORG_OWNER"], "org-b": ["ORG_OWNER_VIEWER"] });
    expect(identity!.instanceRoles).toEqual(["IAM_OWNER"]);
  });

  it.each(["ES256", "PS256", "EdDSA"])("accepts %s signatures", async (alg) => {
    const key = otherAlgKeys.find((k) => k.alg === alg)!;
    expect((await verifierFor(shared).check(await token({ key }))).ok).toBe(true);
  });

  it("accepts an audience list that contains the configured audience", async () => {
    expect((await verifierFor(shared).check(await token({ audience: ["client-id", audience] }))).ok).toBe(true);
  });

  it("does not check the audience when none is configured", async () => {
    const verifier = verifierFor(shared, { audience: undefined });
    expect((await verifier.check(await token({ audience: "someone-else" }))).ok).toBe(true);
  });

  it("reads configured claim names", async () => {
    const verifier = verifierFor(shared, { orgClaim: "org_id", rolesClaim: "roles" });
    const identity = await verifier.verify(await token({ claims: { org_id: "org-x", roles: ["ORG_OWNER"] } }));
    expect(identity?.orgId).toBe("org-x");
    expect(Object.fromEntries(identity!.rolesByOrg)).toEqual({ "org-x": ["ORG_OWNER"] });
    // The ZITADEL claims are no longer read once other names are configured.
    await expectRefused(verifier, await token(), { reason: "claim-invalid", claim: "org_id" });
  });

  describe("time", () => {
    it("refuses an expired token", async () => {
      await expectRefused(verifierFor(shared), await token({ expiresAt: nowSec() - 300 }), { reason: "expired" });
    });

    it("allows the clock tolerance on exp, and only that", async () => {
      const jwt = await token({ expiresAt: nowSec() - 10 });
      expect((await verifierFor(shared).check(jwt)).ok).toBe(true); // default 30 s
      await expectRefused(verifierFor(shared, { clockToleranceSec: 0 }), jwt, { reason: "expired" });
    });

    it("refuses a token not yet valid (nbf)", async () => {
      await expectRefused(verifierFor(shared), await token({ notBefore: nowSec() + 300 }), { reason: "not-yet-valid" });
    });

    it("allows the clock tolerance on nbf", async () => {
      expect((await verifierFor(shared).check(await token({ notBefore: nowSec() + 10 }))).ok).toBe(true);
    });

    it("refuses a token without exp", async () => {
      await expectRefused(verifierFor(shared), await token({ expiresAt: null }), { reason: "claim-invalid", claim: "exp" });
    });
  });

  describe("claims", () => {
    it("refuses a wrong audience, and a missing one", async () => {
      await expectRefused(verifierFor(shared), await token({ audience: "another-project" }), { reason: "claim-invalid", claim: "aud" });
      await expectRefused(verifierFor(shared), await token({ audience: undefined }), { reason: "claim-invalid", claim: "aud" });
    });

    it("refuses a wrong issuer, even signed with the issuer's key", async () => {
      await expectRefused(verifierFor(shared), await token({ issuer: "http://127.0.0.1:1/evil" }), {
        reason: "claim-invalid",
        claim: "iss",
      });
    });

    it("refuses a token without subject, without org, or with a misshapen roles claim", async () => {
      await expectRefused(verifierFor(shared), await token({ subject: undefined }), { reason: "claim-invalid", claim: "sub" });
      await expectRefused(verifierFor(shared), await token({ claims: {} }), { reason: "claim-invalid", claim: zitadelOrgClaim });
      await expectRefused(
        verifierFor(shared),
        await token({ claims: { [zitadelOrgClaim]: "org-a", [zitadelRolesClaim]: "IAM_OWNER" } }),
        { reason: "claim-invalid", claim: zitadelRolesClaim },
      );
    });
  });

  describe("signatures and algorithms", () => {
    it("refuses a token signed by another key under the same kid", async () => {
      const impostor = await makeSigningKey(rsa.kid, "RS256");
      await expectRefused(verifierFor(shared), await token({ key: impostor }), { reason: "bad-signature" });
    });

    it("refuses a good token whose payload was changed", async () => {
      const [header, , signature] = (await token()).split(".");
      const payload = b64url({
        iss: shared.url,
        aud: audience,
        sub: "user-1",
        exp: nowSec() + 300,
        ...zitadelClaims,
        [zitadelRolesClaim]: { IAM_OWNER: { "org-a": "a" } },
      });
      await expectRefused(verifierFor(shared), `${header}.${payload}.${signature}`, { reason: "bad-signature" });
    });

    const claims = () => ({ iss: shared.url, aud: audience, sub: "user-1", exp: nowSec() + 300, ...zitadelClaims });

    it("refuses alg: none, unsigned or with a made-up signature", async () => {
      const unsigned = `${b64url({ alg: "none", typ: "JWT" })}.${b64url(claims())}.`;
      await expectRefused(verifierFor(shared), unsigned, { reason: "malformed" });
      const withKid = `${b64url({ alg: "none", kid: rsa.kid })}.${b64url(claims())}.c2lnbmF0dXJl`;
      await expectRefused(verifierFor(shared), withKid, { reason: "algorithm-not-allowed" });
      const upperCase = `${b64url({ alg: "NONE" })}.${b64url(claims())}.`;
      await expectRefused(verifierFor(shared), upperCase, { reason: "malformed" });
    });

    it("refuses HS256 signed with the public key as the secret", async () => {
      const pem = await exportSPKI(rsa.publicKey);
      for (const secret of [pem, JSON.stringify(rsa.publicJwk)]) {
        const jwt = await new SignJWT(claims()).setProtectedHeader({ alg: "HS256", kid: rsa.kid }).sign(new TextEncoder().encode(secret));
        await expectRefused(verifierFor(shared), jwt, { reason: "algorithm-not-allowed" });
      }
    });

    it("refuses a token whose header names a key of another type", async () => {
      // An ES256 header with the RSA key's kid: no key in the set fits.
      const es = otherAlgKeys.find((k) => k.alg === "ES256")!;
      await expectRefused(verifierFor(shared), await token({ key: es, header: { alg: "ES256", kid: rsa.kid } }), {
        reason: "unknown-key",
      });
    });

    it.each([
      ["empty", ""],
      ["one part", "abc"],
      ["two parts", "abc.def"],
      ["four parts", "a.b.c.d"],
      ["empty parts", ".."],
      ["not base64url", "ab$.cd.ef"],
      ["a service token", "actiond_" + "A".repeat(43)],
      ["a bearer prefix", "Bearer a.b.c"],
      ["header not JSON", `${Buffer.from("nope").toString("base64url")}.${b64url({})}.c2ln`],
      ["header a JSON array", `${b64url(["RS256"])}.${b64url({})}.c2ln`],
      ["payload not JSON", `${b64url({ alg: "RS256", kid: "rsa-1" })}.${Buffer.from("nope").toString("base64url")}.c2ln`],
      ["too long", `${b64url({ alg: "RS256" })}.${"A".repeat(20_000)}.c2ln`],
    ])("refuses a malformed token: %s", async (_name, jwt) => {
      const result = await verifierFor(shared).check(jwt);
      expect(result.ok).toBe(false);
      // A payload that is not JSON is only found out by jose, after the key lookup: also a refusal.
      expect(["malformed", "bad-signature"]).toContain(!result.ok && result.reason);
      expect(await verifierFor(shared).verify(jwt)).toBeUndefined();
    });

    it("refuses garbage and unsigned tokens without a request to the issuer", async () => {
      const issuer = await newIssuer();
      const verifier = verifierFor(issuer);
      const rogue = await new SignJWT({}).setProtectedHeader({ alg: "HS256" }).sign(new TextEncoder().encode("k"));
      for (const jwt of ["", "x.y.z", `${b64url({ alg: "none" })}.${b64url({})}.c2ln`, rogue]) {
        expect((await verifier.check(jwt)).ok).toBe(false);
      }
      expect(issuer.hits).toEqual({ discovery: 0, jwks: 0 });
    });
  });

  describe("keys", () => {
    it("refetches the JWKS on an unknown kid and accepts the rotated key once the issuer serves it", async () => {
      const issuer = await newIssuer();
      const [oldKey, newKey] = [await makeSigningKey("old"), await makeSigningKey("new")];
      issuer.serveKeys([oldKey]);
      const verifier = verifierFor(issuer);
      const signed = (key: SigningKey) => signToken({ key, issuer: issuer.url, audience, subject: "u", claims: zitadelClaims });

      expect((await verifier.check(await signed(oldKey))).ok).toBe(true);
      expect(issuer.hits.jwks).toBe(1);

      // Signed with a key the issuer does not publish yet: refetched, still unknown.
      await expectRefused(verifier, await signed(newKey), { reason: "unknown-key" });
      expect(issuer.hits.jwks).toBeGreaterThan(1);

      issuer.serveKeys([oldKey, newKey]);
      const before = issuer.hits.jwks;
      expect((await verifier.check(await signed(newKey))).ok).toBe(true);
      expect(issuer.hits.jwks).toBe(before + 1);
      // Known kids are served from the cache.
      expect((await verifier.check(await signed(oldKey))).ok).toBe(true);
      expect((await verifier.check(await signed(newKey))).ok).toBe(true);
      expect(issuer.hits.jwks).toBe(before + 1);
      expect(issuer.hits.discovery).toBe(1);
    });

    it("does not refetch the JWKS for unknown kids within the cooldown", async () => {
      const issuer = await newIssuer();
      const known = await makeSigningKey("known");
      issuer.serveKeys([known]);
      const verifier = verifierFor(issuer, { jwksCooldownMs: 60_000 });
      expect((await verifier.check(await signToken({ key: known, issuer: issuer.url, audience, subject: "u", claims: zitadelClaims }))).ok).toBe(true);
      for (let i = 0; i < 5; i++) {
        const made = await makeSigningKey(`made-up-${i}`);
        const jwt = await signToken({ key: made, issuer: issuer.url, audience, subject: "u", claims: zitadelClaims });
        await expectRefused(verifier, jwt, { reason: "unknown-key" });
      }
      expect(issuer.hits.jwks).toBe(1);
    });

    it("shares one discovery and one JWKS fetch between concurrent first calls", async () => {
      const issuer = await newIssuer();
      const key = await makeSigningKey("k");
      issuer.serveKeys([key]);
      const verifier = verifierFor(issuer);
      const jwt = await signToken({ key, issuer: issuer.url, audience, subject: "u", claims: zitadelClaims });
      const results = await Promise.all(Array.from({ length: 10 }, () => verifier.check(jwt)));
      expect(results.every((r) => r.ok)).toBe(true);
      expect(issuer.hits).toEqual({ discovery: 1, jwks: 1 });
    });

    it("uses the given fetch for discovery and the JWKS", async () => {
      const seen: string[] = [];
      const verifier = verifierFor(shared, {
        fetch: (input, init) => {
          seen.push(String(input instanceof Request ? input.url : input));
          return fetch(input, init);
        },
      });
      expect((await verifier.check(await token())).ok).toBe(true);
      expect(seen).toEqual([`${shared.url}/.well-known/openid-configuration`, `${shared.url}/oauth/v2/keys`]);
    });
  });

  describe("issuer availability", () => {
    it("refuses while the issuer is down at first use, and accepts once it is up", async () => {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const key = await makeSigningKey("k");
      const verifier = createOidcVerifier({ issuer: url, audience, discoveryRetryMs: 0 });
      const jwt = await signToken({ key, issuer: url, audience, subject: "u", claims: zitadelClaims });

      const down = await verifier.check(jwt);
      expect(down).toMatchObject({ ok: false, reason: "issuer-unavailable" });
      expect(!down.ok && "detail" in down && down.detail).toMatch(/ECONNREFUSED/);

      const issuer = await newIssuer(port);
      issuer.serveKeys([key]);
      expect((await verifier.check(jwt)).ok).toBe(true);
    });

    it("does not keep a failed discovery forever, but does not retry it on every call either", async () => {
      const issuer = await newIssuer();
      const key = await makeSigningKey("k");
      issuer.serveKeys([key]);
      const jwt = await signToken({ key, issuer: issuer.url, audience, subject: "u", claims: zitadelClaims });
      issuer.failWith = 503;

      const patient = verifierFor(issuer, { discoveryRetryMs: 60_000 });
      await expectRefused(patient, jwt, { reason: "issuer-unavailable" });
      expect(issuer.hits.discovery).toBe(1);

      const eager = verifierFor(issuer, { discoveryRetryMs: 0 });
      await expectRefused(eager, jwt, { reason: "issuer-unavailable" });
      issuer.failWith = undefined;
      expect((await eager.check(jwt)).ok).toBe(true);
      // Within its retry delay the first verifier still answers from the remembered failure.
      await expectRefused(patient, jwt, { reason: "issuer-unavailable" });
    });

    it("refuses every token when the discovery document states another issuer", async () => {
      const issuer = await newIssuer();
      const key = await makeSigningKey("k");
      issuer.serveKeys([key]);
      issuer.discoveryOverrides = { issuer: "https://attacker.example" };
      const jwt = await signToken({ key, issuer: issuer.url, audience, subject: "u", claims: zitadelClaims });
      const result = await verifierFor(issuer).check(jwt);
      expect(result).toMatchObject({ ok: false, reason: "issuer-unavailable" });
      expect(!result.ok && "detail" in result && result.detail).toContain("discovery states issuer");
      expect(issuer.hits.jwks).toBe(0);
    });

    it("refuses when the JWKS cannot be fetched, and recovers when it can", async () => {
      const issuer = await newIssuer();
      const key = await makeSigningKey("k");
      issuer.serveKeys([key]);
      issuer.discoveryOverrides = { jwks_uri: `${issuer.url}/missing` };
      const jwt = await signToken({ key, issuer: issuer.url, audience, subject: "u", claims: zitadelClaims });
      await expectRefused(verifierFor(issuer), jwt, { reason: "issuer-unavailable" });

      issuer.discoveryOverrides = {};
      const verifier = verifierFor(issuer);
      issuer.failJwksWith = 500;
      await expectRefused(verifier, jwt, { reason: "issuer-unavailable" });
      expect(issuer.hits.discovery).toBe(2); // the first verifier's, and this one's: discovery succeeded
      issuer.failJwksWith = undefined;
      expect((await verifier.check(jwt)).ok).toBe(true);
      expect(issuer.hits.discovery).toBe(2);
    });
  });

  it("rejects a bad issuer URL when created, not on the first call", () => {
    expect(() => createOidcVerifier({ issuer: "not a url" })).toThrow();
    expect(() => createOidcVerifier({ issuer: "ftp://id.example.com" })).toThrow(/http/);
  });
});

describe("looksLikeJwt", () => {
  it("tells JWTs from service tokens", async () => {
    expect(looksLikeJwt(await token())).toBe(true);
    expect(looksLikeJwt("actiond_" + "A".repeat(43))).toBe(false);
    expect(looksLikeJwt("a.b.")).toBe(false);
    expect(looksLikeJwt("a.b.c")).toBe(true);
  });
});
