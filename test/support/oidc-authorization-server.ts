/**
 * A loopback OIDC provider that signs a browser in: discovery, JWKS, an
 * authorization endpoint that approves at once, and a token endpoint that
 * checks PKCE (S256) before it answers a ZITADEL-shaped access token. For the
 * console's sign-in test; the server under test only reads its discovery and
 * keys. Answers CORS as ZITADEL does, so the console may call it.
 */
import { createHash, randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { JWTPayload } from "jose";
import { makeSigningKey, signToken } from "./oidc-issuer.js";

export interface TestAuthorizationServer {
  url: string;
  /** Access tokens handed out so far. */
  issued: number;
  close(): Promise<void>;
}

interface Grant {
  challenge: string;
  redirectUri: string;
}

export async function startTestAuthorizationServer(o: { clientId: string; audience: string; claims: JWTPayload }): Promise<TestAuthorizationServer> {
  const key = await makeSigningKey("login-1", "RS256");
  const grants = new Map<string, Grant>();
  const server = http.createServer((req, res) => {
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json", "access-control-allow-origin": "*", ...headers });
      res.end(JSON.stringify(body));
    };
    const url = new URL(req.url ?? "/", auth.url);
    if (req.method === "GET" && url.pathname === "/.well-known/openid-configuration") {
      return send(200, {
        issuer: auth.url,
        jwks_uri: `${auth.url}/oauth/v2/keys`,
        authorization_endpoint: `${auth.url}/oauth/v2/authorize`,
        token_endpoint: `${auth.url}/oauth/v2/token`,
      });
    }
    if (req.method === "GET" && url.pathname === "/oauth/v2/keys") return send(200, { keys: [key.publicJwk] });
    if (req.method === "GET" && url.pathname === "/oauth/v2/authorize") {
      const q = url.searchParams;
      const challenge = q.get("code_challenge");
      if (q.get("client_id") !== o.clientId || q.get("response_type") !== "code" || q.get("code_challenge_method") !== "S256" || !challenge) {
        return send(400, { error: "invalid_request" });
      }
      const code = randomBytes(16).toString("base64url");
      grants.set(code, { challenge, redirectUri: q.get("redirect_uri")! });
      const back = new URL(q.get("redirect_uri")!);
      back.search = new URLSearchParams({ code, state: q.get("state") ?? "" }).toString();
      res.writeHead(302, { location: back.toString() });
      return res.end();
    }
    if (req.method === "POST" && url.pathname === "/oauth/v2/token") {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        void (async () => {
          const form = new URLSearchParams(Buffer.concat(chunks).toString());
          const grant = grants.get(form.get("code") ?? "");
          grants.delete(form.get("code") ?? "");
          const verifier = form.get("code_verifier") ?? "";
          const proof = createHash("sha256").update(verifier).digest("base64url");
          if (!grant || form.get("client_id") !== o.clientId || form.get("redirect_uri") !== grant.redirectUri || proof !== grant.challenge) {
            return send(400, { error: "invalid_grant" });
          }
          auth.issued++;
          const accessToken = await signToken({ key, issuer: auth.url, audience: o.audience, subject: "user-7", claims: o.claims });
          send(200, { access_token: accessToken, token_type: "Bearer", expires_in: 300 });
        })();
      });
      return;
    }
    send(404, { error: "not_found" });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const auth: TestAuthorizationServer = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    issued: 0,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
  return auth;
}
