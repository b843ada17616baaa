/** What actiond needs from the issuer's discovery document. */
export interface IssuerMetadata {
  jwksUri: URL;
}

/** A failed discovery carries a detail for the operator's log; it never involves a token. */
export type DiscoveryResult = { ok: true; metadata: IssuerMetadata } | { ok: false; detail: string };

/** OpenID Connect Discovery 1.0 §4: strip one trailing slash, append the well-known path. */
export function discoveryUrl(issuer: string): URL {
  return new URL(issuer.replace(/\/$/, "") + "/.well-known/openid-configuration");
}

/** Server-supplied text echoed into a log line: bounded, so a hostile issuer cannot flood the log. */
function quote(value: unknown): string {
  return JSON.stringify(String(value).slice(0, 200));
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // undici reports "fetch failed" and puts the useful part (ECONNREFUSED, ...) in the cause.
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  const why = cause?.code ?? cause?.message;
  return why ? `${error.message} (${String(why)})` : error.message;
}

/**
 * Fetches and checks the discovery document. Its `issuer` must equal the
 * configured one exactly (OIDC Discovery §4.3): otherwise a document served
 * from that URL could vouch for keys of another issuer.
 */
export async function fetchIssuerMetadata(
  issuer: string,
  fetchImpl: typeof fetch,
  timeoutMs: number,
): Promise<DiscoveryResult> {
  const url = discoveryUrl(issuer);
  let document: unknown;
  try {
    const response = await fetchImpl(url, {
      headers: { accept: "application/json" },
      // A redirect could lead anywhere; ZITADEL serves the document directly.
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (response.status !== 200) {
      await response.body?.cancel();
      return { ok: false, detail: `${url.href} answered HTTP ${response.status}` };
    }
    document = await response.json();
  } catch (error) {
    return { ok: false, detail: `${url.href}: ${describe(error)}` };
  }
  if (typeof document !== "object" || document === null) return { ok: false, detail: `${url.href}: not a JSON object` };
  const { issuer: stated, jwks_uri } = document as { issuer?: unknown; jwks_uri?: unknown };
  if (stated !== issuer) return { ok: false, detail: `discovery states issuer ${quote(stated)}, expected ${quote(issuer)}` };
  let jwksUri: URL | undefined;
  try {
    if (typeof jwks_uri === "string") jwksUri = new URL(jwks_uri);
  } catch {
    // reported below
  }
  if (!jwksUri || (jwksUri.protocol !== "https:" && jwksUri.protocol !== "http:")) {
    return { ok: false, detail: `discovery jwks_uri ${quote(jwks_uri)} is not an http(s) URL` };
  }
  return { ok: true, metadata: { jwksUri } };
}

/**
 * Runs `load` on first use and keeps its success for good (an issuer's jwks_uri
 * does not move; key rotation is handled by the JWKS cache). Concurrent callers
 * share one request. A failure is kept only `retryAfterMs`, so an issuer that is
 * down at start is picked up once it is back, without every call of an outage
 * hitting it again.
 */
export function cacheDiscovery(
  load: () => Promise<DiscoveryResult>,
  retryAfterMs: number,
  now: () => number = Date.now,
): () => Promise<DiscoveryResult> {
  let success: DiscoveryResult | undefined;
  let pending: Promise<DiscoveryResult> | undefined;
  let failure: { result: DiscoveryResult; at: number } | undefined;
  return () => {
    if (success) return Promise.resolve(success);
    if (pending) return pending;
    if (failure && now() - failure.at < retryAfterMs) return Promise.resolve(failure.result);
    pending = load()
      .catch((error: unknown): DiscoveryResult => ({ ok: false, detail: describe(error) }))
      .then((result) => {
        if (result.ok) success = result;
        else failure = { result, at: now() };
        pending = undefined;
        return result;
      });
    return pending;
  };
}
