import { type CryptoKey, type FlattenedJWSInput, type JWSHeaderParameters, createRemoteJWKSet, customFetch, errors } from "jose";
import { type IssuerMetadata, cacheDiscovery, fetchIssuerMetadata } from "./discovery.js";
import { KeysUnavailable } from "./refusal.js";

export interface IssuerKeysOptions {
  /** The issuer URL, exactly as its discovery document states it. */
  issuer: string;
  /** Used for discovery and the JWKS; default the global fetch. */
  fetch?: typeof fetch;
  /** Timeout of each request to the issuer. Default 5000. */
  httpTimeoutMs?: number;
  /**
   * Least time between two JWKS fetches caused by an unknown `kid`, so tokens
   * with made-up kids cannot make actiond hammer the issuer. Default 30000.
   */
  jwksCooldownMs?: number;
  /** How long a failed discovery is reused before the issuer is asked again. Default 1000. */
  discoveryRetryMs?: number;
}

/**
 * Picks the key a JWS header names. Throws jose's own errors for a header no key
 * fits, and `KeysUnavailable` when the key set could not be fetched.
 */
export type IssuerKeyResolver = (header: JWSHeaderParameters, token: FlattenedJWSInput) => Promise<CryptoKey>;

/** The issuer's key resolver, or why discovery failed (for the operator's log; it never involves a token). */
export type IssuerKeysResult = { ok: true; resolve: IssuerKeyResolver } | { ok: false; detail: string };

/**
 * An issuer's verification keys, found through its discovery document. Both are
 * fetched on first use and cached; jose refetches the JWKS on an unknown `kid`
 * after the cooldown, which is how a rotated key is picked up.
 */
export function createIssuerKeys(options: IssuerKeysOptions): () => Promise<IssuerKeysResult> {
  const fetchImpl = options.fetch ?? fetch;
  const httpTimeoutMs = options.httpTimeoutMs ?? 5000;
  const discover = cacheDiscovery(
    () => fetchIssuerMetadata(options.issuer, fetchImpl, httpTimeoutMs),
    options.discoveryRetryMs ?? 1000,
  );
  // One key set per discovered jwks_uri.
  let keys: { metadata: IssuerMetadata; resolve: IssuerKeyResolver } | undefined;
  const keysFor = (metadata: IssuerMetadata): IssuerKeyResolver => {
    if (keys?.metadata !== metadata) {
      const remote = createRemoteJWKSet(metadata.jwksUri, {
        timeoutDuration: httpTimeoutMs,
        cooldownDuration: options.jwksCooldownMs ?? 30_000,
        [customFetch]: (url, init) => fetchImpl(url, init),
      });
      keys = {
        metadata,
        resolve: async (header, token) => {
          try {
            return await remote(header, token);
          } catch (error) {
            // These are about the token's header; anything else means the key set could not be had.
            if (
              error instanceof errors.JWKSNoMatchingKey ||
              error instanceof errors.JWKSMultipleMatchingKeys ||
              error instanceof errors.JOSENotSupported ||
              error instanceof errors.JOSEAlgNotAllowed
            ) {
              throw error;
            }
            throw new KeysUnavailable(`${metadata.jwksUri.href}: ${error instanceof Error ? error.message : String(error)}`);
          }
        },
      };
    }
    return keys.resolve;
  };
  return async () => {
    const discovered = await discover();
    return discovered.ok ? { ok: true, resolve: keysFor(discovered.metadata) } : discovered;
  };
}
