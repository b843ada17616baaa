import http from "node:http";
import { EgressError } from "./egress-error.js";

/** Lower-cased names in first-seen order, each with every value the script gave. */
export type HeaderList = [name: string, values: string[]][];

/** Computed or hop-by-hop: never forwarded as the script gave them. */
const DROPPED_REQUEST_HEADERS = new Set([
  "host",
  "connection",
  "transfer-encoding",
  "content-length",
  "keep-alive",
  "proxy-connection",
  "upgrade",
  "te",
  "trailer",
  "expect",
]);

/**
 * The script's headers, checked with Node's own rules before anything is
 * sent, so a bad one is refused by name instead of failing inside http.request.
 * Names that differ only in case are merged.
 */
export function prepareHeaders(headers: unknown): HeaderList {
  if (headers === undefined || headers === null) return [];
  if (typeof headers !== "object" || Array.isArray(headers)) throw new EgressError("request headers must be an object", "request");
  const merged = new Map<string, string[]>();
  for (const [rawName, rawValue] of Object.entries(headers as Record<string, unknown>)) {
    const name = rawName.toLowerCase();
    try {
      http.validateHeaderName(name);
    } catch {
      throw new EgressError(`invalid request header name ${JSON.stringify(rawName)}`, "request");
    }
    const values = Array.isArray(rawValue) ? rawValue : [rawValue];
    for (const value of values) {
      if (typeof value !== "string") throw new EgressError(`request header ${JSON.stringify(rawName)} must be a string or string array`, "request");
      try {
        http.validateHeaderValue(name, value);
      } catch {
        throw new EgressError(`invalid value for request header ${JSON.stringify(rawName)}`, "request");
      }
    }
    if (DROPPED_REQUEST_HEADERS.has(name)) continue;
    const list = merged.get(name) ?? [];
    list.push(...(values as string[]));
    merged.set(name, list);
  }
  return [...merged];
}

/** The headers http.request sends; `content-length` is always ours, never the script's. */
export function outgoingHeaders(headers: HeaderList, body: Buffer | undefined): http.OutgoingHttpHeaders {
  // Null prototype: a header named like an Object.prototype key (`__proto__`) is a header like any other.
  const outgoing: http.OutgoingHttpHeaders = Object.create(null) as http.OutgoingHttpHeaders;
  for (const [name, values] of headers) outgoing[name] = values.length === 1 ? values[0] : values;
  if (body !== undefined) outgoing["content-length"] = String(body.length);
  return outgoing;
}

/** Lower-cased names, every value in arrival order (from rawHeaders: Node joins or drops some repeats). */
export function responseHeaders(response: http.IncomingMessage): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const raw = response.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    const value = raw[i + 1]!;
    // defineProperty, not assignment: a header named `__proto__` becomes a key, not the object's prototype.
    if (Object.prototype.hasOwnProperty.call(out, name)) out[name]!.push(value);
    else Object.defineProperty(out, name, { value: [value], enumerable: true, writable: true, configurable: true });
  }
  return out;
}
