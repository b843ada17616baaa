import type { ConsoleConfig } from "../api/console-config.js";

type Oidc = NonNullable<ConsoleConfig["oidc"]>;

/** Where the issuer sends the browser back; register it as the client's redirect URI. */
export const oidcCallbackPath = "/console/oidc-callback";

/** What the callback needs from the start, kept in this tab only. */
interface Pending {
  state: string;
  verifier: string;
  tokenEndpoint: string;
  returnTo: string;
}

const pendingKey = "actiond.oidc";

const base64url = (bytes: ArrayBuffer | Uint8Array) =>
  btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");

const random = (size: number) => base64url(crypto.getRandomValues(new Uint8Array(size)));

const redirectUri = () => `${location.origin}${oidcCallbackPath}`;

async function discover(issuer: string): Promise<{ authorization_endpoint: string; token_endpoint: string }> {
  const res = await fetch(`${issuer.replace(/\/$/, "")}/.well-known/openid-configuration`);
  if (!res.ok) throw new Error(`the issuer's discovery document answered ${res.status}`);
  return (await res.json()) as { authorization_endpoint: string; token_endpoint: string };
}

/**
 * Sends the browser to the issuer: authorization code with PKCE (S256), as
 * for a public client, which a browser app is; `state` ties the answer to
 * this tab's request.
 */
export async function startOidcSignIn(oidc: Oidc, returnTo: string): Promise<void> {
  const endpoints = await discover(oidc.issuer);
  const verifier = random(32);
  const challenge = base64url(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  const pending: Pending = { state: random(16), verifier, tokenEndpoint: endpoints.token_endpoint, returnTo };
  sessionStorage.setItem(pendingKey, JSON.stringify(pending));
  const url = new URL(endpoints.authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: "code",
    client_id: oidc.clientId,
    redirect_uri: redirectUri(),
    scope: "openid profile",
    code_challenge: challenge,
    code_challenge_method: "S256",
    state: pending.state,
  }).toString();
  location.assign(url);
}

/** Trades the issuer's code for an access token; the pending request is used once, whatever happens. */
export async function finishOidcSignIn(oidc: Oidc, search: string): Promise<{ token: string; returnTo: string }> {
  const raw = sessionStorage.getItem(pendingKey);
  sessionStorage.removeItem(pendingKey);
  const params = new URLSearchParams(search);
  const refused = params.get("error");
  if (refused) throw new Error(`the issuer refused the sign-in: ${params.get("error_description") ?? refused}`);
  const pending = raw ? (JSON.parse(raw) as Pending) : undefined;
  const code = params.get("code");
  if (!pending || !code || params.get("state") !== pending.state) throw new Error("this sign-in answer does not belong to a sign-in started in this tab");
  const res = await fetch(pending.tokenEndpoint, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: redirectUri(), client_id: oidc.clientId, code_verifier: pending.verifier }),
  });
  const body = (await res.json().catch(() => ({}))) as { access_token?: string; error?: string };
  if (!res.ok || !body.access_token) throw new Error(`the issuer's token endpoint answered ${res.status}${body.error ? ` (${body.error})` : ""}`);
  return { token: body.access_token, returnTo: pending.returnTo };
}
