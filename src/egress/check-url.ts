import { EgressError, quoteUrl } from "./egress-error.js";
import type { Exchange } from "./exchange-lifetime.js";
import { classifyHostname } from "./ip.js";
import type { EgressPolicy } from "./policy.js";
import { resolveHost, type EgressLookup, type ResolvedAddress } from "./resolve-host.js";

/** A URL that passed the policy, with the only addresses its connection may use. */
export interface Target {
  url: URL;
  /** Hostname for http.request: without IPv6 brackets. */
  hostname: string;
  /** The checked addresses the connection may use. */
  addresses: ResolvedAddress[];
}

/**
 * Parses and checks one URL (the first or a redirect's): only `http:` and
 * `https:`, no userinfo. An IP literal, in any spelling the URL parser
 * normalises, is checked as is; a name is checked, then resolved once, and
 * EVERY address it resolves to must pass (see ./policy.ts).
 */
export async function checkUrl(rawUrl: string, policy: EgressPolicy, lookup: EgressLookup, exchange: Exchange): Promise<Target> {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new EgressError(`invalid URL ${quoteUrl(rawUrl)}`, "url");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new EgressError(`URL scheme ${url.protocol} is not allowed (only http: and https:)`, "url");
  }
  if (url.username !== "" || url.password !== "") {
    throw new EgressError(`URL userinfo is not allowed (host ${url.hostname})`, "url");
  }
  const host = classifyHostname(url.hostname);
  if (host.kind === "ip") {
    const refused = policy.checkAddress(host.ip.text);
    if (refused) throw new EgressError(refused, "address");
    return { url, hostname: host.ip.text, addresses: [{ address: host.ip.text, family: host.ip.family }] };
  }
  const refusedName = policy.checkName(host.name);
  if (refusedName) throw new EgressError(refusedName, "host");
  const addresses = await resolveHost(lookup, url.hostname, exchange);
  for (const a of addresses) {
    const refused = policy.checkAddress(a.address, host.name);
    if (refused) throw new EgressError(refused, "address");
  }
  return { url, hostname: url.hostname, addresses };
}
