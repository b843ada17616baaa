import { EgressError, quoteUrl } from "./egress-error.js";
import type { PreparedRequest } from "./prepare-request.js";

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Dropped when a redirect leaves the origin. */
const CREDENTIAL_HEADERS = new Set(["authorization", "proxy-authorization", "cookie", "cookie2"]);

/** A redirect status without a Location is an answer like any other. */
export function isRedirect(status: number, location: string | undefined): location is string {
  return REDIRECT_STATUSES.has(status) && location !== undefined;
}

/**
 * The request for the next hop, as Go's client (ZITADEL's) builds it: 303,
 * and 301/302 after anything but GET/HEAD, become GET without body (HEAD
 * stays HEAD); credentials are dropped when the redirect leaves the origin.
 * The new URL is not trusted: the caller checks it like the first.
 */
export function redirectedRequest(request: PreparedRequest, status: number, location: string, from: URL): PreparedRequest {
  let next: URL;
  try {
    next = new URL(location, from);
  } catch {
    throw new EgressError(`invalid redirect location ${quoteUrl(location)} from ${from.origin}`, "url");
  }
  let { method, headers, body } = request;
  if (status === 303 || ((status === 301 || status === 302) && method !== "GET" && method !== "HEAD")) {
    if (method !== "HEAD") method = "GET";
    body = undefined;
    headers = headers.filter(([name]) => name !== "content-type");
  }
  if (next.origin !== from.origin) headers = headers.filter(([name]) => !CREDENTIAL_HEADERS.has(name));
  next.hash = "";
  return { url: next.href, method, headers, body };
}
