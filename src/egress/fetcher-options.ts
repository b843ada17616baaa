import type { EgressRefusal } from "./egress-error.js";
import { EgressPolicy } from "./policy.js";
import { defaultLookup, type EgressLookup } from "./resolve-host.js";

export interface EgressOptions {
  /** CIDRs, IPs or exact domains permitted although the defaults refuse them. */
  allow?: string[];
  /** CIDRs, IPs or exact domains refused in addition to the defaults; deny wins over allow. */
  deny?: string[];
  /** Response body cap in bytes (default 1 MiB). */
  maxResponseBytes?: number;
  /** Redirects followed at most (default 5); one more is an error. */
  maxRedirects?: number;
  /** Resolver (default `dns.promises.lookup(host, { all: true })`). */
  lookup?: EgressLookup;
  /** Told each exchange the fetcher refuses, and why (for the metrics). */
  onRefusal?: (reason: EgressRefusal) => void;
}

export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;
export const DEFAULT_MAX_REDIRECTS = 5;

/** EgressOptions with every default filled in. */
export interface FetcherSettings {
  policy: EgressPolicy;
  maxResponseBytes: number;
  maxRedirects: number;
  lookup: EgressLookup;
  onRefusal?: (reason: EgressRefusal) => void;
}

/** Throws on a bad option, so a misconfiguration fails when the fetcher is created, not on a script's fetch. */
export function fetcherSettings(options: EgressOptions): FetcherSettings {
  return {
    policy: new EgressPolicy({ allow: options.allow, deny: options.deny }),
    maxResponseBytes: nonNegativeInteger("maxResponseBytes", options.maxResponseBytes, DEFAULT_MAX_RESPONSE_BYTES),
    maxRedirects: nonNegativeInteger("maxRedirects", options.maxRedirects, DEFAULT_MAX_REDIRECTS),
    lookup: options.lookup ?? defaultLookup,
    onRefusal: options.onRefusal,
  };
}

function nonNegativeInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new TypeError(`egress ${name} must be a non-negative integer, got ${String(value)}`);
  }
  return value;
}
