/**
 * A real OIDC issuer on loopback for the tests: discovery document and JWKS over
 * HTTP, keys generated in the test. Not used by the server.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { type CryptoKey, type JWK, type JWTPayload, SignJWT, exportJWK, generateKeyPair } from "jose";
import { zitadelOrgClaim, zitadelRolesClaim } from "../../src/auth/oidc/index.js";
import { createOrgWithToken } from "./orgs.js";
import { startTestServer, type TestServer } from "./test-server.js";

export interface SigningKey {
  kid: string;
  alg: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
}

export async function makeSigningKey(kid: string, alg = "ES256"): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: "sig" };
  return { kid, alg, privateKey, publicKey, publicJwk };
}

export interface TestIssuer {
  url: string;
  port: number;
  /** The keys the JWKS endpoint serves from now on. */
  serveKeys(keys: SigningKey[]): void;
  /** Overrides fields of the discovery document (e.g. a different `issuer`). */
  discoveryOverrides: Record<string, unknown>;
  /** While set, every request answers this HTTP status. */
  failWith: number | undefined;
  /** While set, the JWKS endpoint alone answers this HTTP status. */
  failJwksWith: number | undefined;
  hits: { discovery: number; jwks: number };
  close(): Promise<void>;
}

/** Listens on 127.0.0.1, on `port` (0 picks a free one). */
export async function startTestIssuer(port = 0): Promise<TestIssuer> {
  let jwks: JWK[] = [];
  const server = http.createServer((req, res) => {
    const send = (status: number, body?: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(body === undefined ? undefined : JSON.stringify(body));
    };
    if (req.url === "/.well-known/openid-configuration") issuer.hits.discovery++;
    else if (req.url === "/oauth/v2/keys") issuer.hits.jwks++;
    if (issuer.failWith !== undefined) return send(issuer.failWith, { error: "unavailable" });
    if (req.method !== "GET") return send(405);
    if (req.url === "/.well-known/openid-configuration") {
      return send(200, { issuer: issuer.url, jwks_uri: `${issuer.url}/oauth/v2/keys`, ...issuer.discoveryOverrides });
    }
    if (req.url === "/oauth/v2/keys") return send(issuer.failJwksWith ?? 200, { keys: jwks });
    return send(404);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  const bound = (server.address() as AddressInfo).port;
  const issuer: TestIssuer = {
    url: `http://127.0.0.1:${bound}`,
    port: bound,
    serveKeys: (keys) => void (jwks = keys.map((k) => k.publicJwk)),
    discoveryOverrides: {},
    failWith: undefined,
    failJwksWith: undefined,
    hits: { discovery: 0, jwks: 0 },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections(); // fetch keeps connections alive; close() would wait for them
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
  return issuer;
}

/** A loopback port that was free a moment ago and has nothing listening on it now. */
export async function freePort(): Promise<number> {
  const probe = await startTestIssuer();
  await probe.close();
  return probe.port;
}

export interface TokenOptions {
  key: SigningKey;
  issuer: string;
  audience?: string | string[];
  subject?: string;
  /** Seconds since the epoch, or a jose time span like "5m". Default "5m". */
  expiresAt?: number | string | null;
  notBefore?: number;
  claims?: JWTPayload;
  /** Signs with this header instead of `{alg: key.alg, kid: key.kid}`. */
  header?: { alg: string; kid?: string };
}

export function signToken(o: TokenOptions): Promise<string> {
  let jwt = new SignJWT(o.claims ?? {})
    .setProtectedHeader(o.header ?? { alg: o.key.alg, kid: o.key.kid })
    .setIssuer(o.issuer)
    .setIssuedAt();
  if (o.subject !== undefined) jwt = jwt.setSubject(o.subject);
  if (o.audience !== undefined) jwt = jwt.setAudience(o.audience);
  if (o.expiresAt !== null) jwt = jwt.setExpirationTime(o.expiresAt ?? "5m");
  if (o.notBefore !== undefined) jwt = jwt.setNotBefore(o.notBefore);
  return jwt.sign(o.key.privateKey);
}

export const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

export const nowSec = () => Math.floor(Date.now() / 1000);

/** A loopback issuer serving one RS256 key, and the real server trusting it with ZITADEL's claim names, for an ORG_OWNER org "acme". */
export async function startOidcTestServer(): Promise<{ issuer: TestIssuer; key: SigningKey; server: TestServer; orgId: string }> {
  const issuer = await startTestIssuer();
  const key = await makeSigningKey("k1", "RS256");
  issuer.serveKeys([key]);
  const server = await startTestServer({
    oidc: { issuer: issuer.url, audience: "actiond-project", orgClaim: zitadelOrgClaim, rolesClaim: zitadelRolesClaim },
  });
  const { orgId } = await createOrgWithToken(server, ["ORG_OWNER"], "acme");
  return { issuer, key, server, orgId };
}
