/**
 * The host side of the scripts' `zitadel/http` `fetch`: one HTTP(S) exchange,
 * checked against the egress policy, pinned to the checked addresses, bounded
 * by a deadline and a response size cap.
 *
 * - Only `http:` and `https:`; URL userinfo is refused.
 * - The host is resolved once (an IP literal, in any spelling the URL parser
 *   normalises, is used as is); EVERY address is checked (see ./policy.ts) and
 *   the connection goes to those addresses only: `http.request` gets a `lookup`
 *   that answers with the checked addresses, so DNS rebinding cannot switch
 *   the target. No connection pooling (`agent: false`), so a socket checked
 *   under one policy is never reused by another.
 * - Redirects (301/302/303/307/308 with a Location) are followed manually up
 *   to `maxRedirects`; every hop is resolved and checked from scratch. As in
 *   Go's client (ZITADEL's), 303, and 301/302 after a non-GET/HEAD, become GET
 *   without body; credentials (authorization, cookie) are dropped when the
 *   redirect leaves the origin.
 * - One timer bounds the whole exchange (DNS, connect, redirects, body): when
 *   it fires the request is destroyed and the answer is `request timed out`.
 * - `fetch` never throws: every refusal or failure is `{ error }`.
 *
 * The deadline is an absolute `performance.now()` in the calling thread's
 * clock (time origins differ between worker threads).
 */
import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import { EgressPolicy } from "./policy.js";
import { classifyHostname, normalizeName } from "./ip.js";

export { EgressPolicy, classifyAddress, defaultRefusal, embeddedV4 } from "./policy.js";
export { parseHost, parseIp, parseCidr } from "./ip.js";

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

export type EgressLookup = (host: string) => Promise<ResolvedAddress[]>;

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
}

export interface EgressRequest {
  url: string;
  method: string;
  headers: Record<string, string[]>;
  body?: string;
}

export interface EgressResponse {
  status: number;
  body: string;
  /** Lower-cased names, every value in arrival order. */
  headers: Record<string, string[]>;
}

export type EgressResult = EgressResponse | { error: string };

export interface EgressFetcher {
  /**
   * One exchange, bounded by `deadline` (absolute `performance.now()` ms) and
   * ended early when `signal` aborts. Never throws.
   */
  fetch(request: EgressRequest, deadline: number, signal?: AbortSignal): Promise<EgressResult>;
}

export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;
const cancelled = "request cancelled: the run was stopped";
export const DEFAULT_MAX_REDIRECTS = 5;

/** Request headers that are computed or hop-by-hop and never forwarded as the caller gave them. */
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
/** Dropped when a redirect leaves the origin. */
const CREDENTIAL_HEADERS = new Set(["authorization", "proxy-authorization", "cookie", "cookie2"]);
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const MAX_TIMER_MS = 2 ** 31 - 1;

/** A failure whose message is meant for the caller as is. */
class EgressError extends Error {}

async function defaultLookup(host: string): Promise<ResolvedAddress[]> {
  const found = await dns.promises.lookup(host, { all: true, verbatim: true });
  return found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
}

function quoteUrl(url: string): string {
  return JSON.stringify(url.length > 200 ? `${url.slice(0, 200)}…` : url);
}

function describeError(err: unknown): string {
  if (err instanceof EgressError) return err.message;
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    return code && !err.message.includes(code) ? `${code}: ${err.message}` : err.message;
  }
  return String(err);
}

function validNonNegativeInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new TypeError(`egress ${name} must be a non-negative integer, got ${String(value)}`);
  }
  return value;
}

type HeaderList = [name: string, values: string[]][];

function prepareHeaders(headers: unknown): HeaderList {
  if (headers === undefined || headers === null) return [];
  if (typeof headers !== "object" || Array.isArray(headers)) throw new EgressError("request headers must be an object");
  const merged = new Map<string, string[]>();
  for (const [rawName, rawValue] of Object.entries(headers as Record<string, unknown>)) {
    const name = rawName.toLowerCase();
    try {
      http.validateHeaderName(name);
    } catch {
      throw new EgressError(`invalid request header name ${JSON.stringify(rawName)}`);
    }
    const values = Array.isArray(rawValue) ? rawValue : [rawValue];
    for (const value of values) {
      if (typeof value !== "string") throw new EgressError(`request header ${JSON.stringify(rawName)} must be a string or string array`);
      try {
        http.validateHeaderValue(name, value);
      } catch {
        throw new EgressError(`invalid value for request header ${JSON.stringify(rawName)}`);
      }
    }
    if (DROPPED_REQUEST_HEADERS.has(name)) continue;
    const list = merged.get(name) ?? [];
    list.push(...(values as string[]));
    merged.set(name, list);
  }
  return [...merged];
}

function prepareMethod(method: unknown): string {
  if (method === undefined || method === null || method === "") return "GET";
  if (typeof method !== "string" || !/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(method)) {
    throw new EgressError(`invalid request method ${JSON.stringify(method)}`);
  }
  const upper = method.toUpperCase();
  if (upper === "CONNECT") throw new EgressError("request method CONNECT is not allowed");
  return upper;
}

interface Target {
  url: URL;
  /** Hostname for http.request: without IPv6 brackets. */
  hostname: string;
  /** The checked addresses the connection may use. */
  addresses: ResolvedAddress[];
}

/** State shared by one exchange: closed once the result is settled (answer, error or timeout). */
interface Exchange {
  closed: boolean;
  current?: http.ClientRequest;
}

/** A `lookup` for http.request that only ever answers with the checked addresses. */
function pinnedLookup(target: Target): net.LookupFunction {
  const expected = normalizeName(target.hostname);
  return (hostname, options, callback) => {
    process.nextTick(() => {
      if (normalizeName(hostname) !== expected) {
        callback(new EgressError(`unexpected lookup of ${hostname} (checked ${target.hostname})`), "", 4);
        return;
      }
      if (options.all) {
        callback(null, target.addresses.map((a) => ({ address: a.address, family: a.family })));
        return;
      }
      const wanted = options.family === 4 || options.family === 6 ? options.family : undefined;
      const pick = target.addresses.find((a) => wanted === undefined || a.family === wanted);
      if (!pick) {
        callback(new EgressError(`host ${target.hostname} has no checked IPv${wanted} address`), "", 4);
        return;
      }
      callback(null, pick.address, pick.family);
    });
  };
}

export function createEgressFetcher(options: EgressOptions = {}): EgressFetcher {
  const policy = new EgressPolicy({ allow: options.allow, deny: options.deny });
  const maxResponseBytes = validNonNegativeInteger("maxResponseBytes", options.maxResponseBytes, DEFAULT_MAX_RESPONSE_BYTES);
  const maxRedirects = validNonNegativeInteger("maxRedirects", options.maxRedirects, DEFAULT_MAX_REDIRECTS);
  const lookup = options.lookup ?? defaultLookup;

  async function resolve(name: string, state: Exchange): Promise<ResolvedAddress[]> {
    let found: unknown;
    try {
      found = await Promise.resolve().then(() => lookup(name));
    } catch (err) {
      if (state.closed) throw err;
      throw new EgressError(`could not resolve host ${name}: ${describeError(err)}`);
    }
    if (!Array.isArray(found) || found.length === 0) throw new EgressError(`host ${name} resolved to no address`);
    return found.map((entry: unknown) => {
      const address = typeof entry === "string" ? entry : (entry as { address?: unknown } | null)?.address;
      const family = typeof address === "string" ? net.isIP(address) : 0;
      if (family !== 4 && family !== 6) {
        throw new EgressError(`host ${name} resolved to an invalid address ${JSON.stringify(address)}`);
      }
      return { address: address as string, family };
    });
  }

  /** Parses and checks one URL (the first or a redirect's), resolving its host once. */
  async function checkUrl(rawUrl: string, state: Exchange): Promise<Target> {
    let url: URL;
    try {
      url = new URL(rawUrl);
    } catch {
      throw new EgressError(`invalid URL ${quoteUrl(rawUrl)}`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw new EgressError(`URL scheme ${url.protocol} is not allowed (only http: and https:)`);
    }
    if (url.username !== "" || url.password !== "") {
      throw new EgressError(`URL userinfo is not allowed (host ${url.hostname})`);
    }
    const host = classifyHostname(url.hostname);
    if (host.kind === "ip") {
      const refused = policy.checkAddress(host.ip.text);
      if (refused) throw new EgressError(refused);
      return { url, hostname: host.ip.text, addresses: [{ address: host.ip.text, family: host.ip.family }] };
    }
    const refusedName = policy.checkName(host.name);
    if (refusedName) throw new EgressError(refusedName);
    const addresses = await resolve(url.hostname, state);
    for (const a of addresses) {
      const refused = policy.checkAddress(a.address, host.name);
      if (refused) throw new EgressError(refused);
    }
    return { url, hostname: url.hostname, addresses };
  }

  function send(target: Target, method: string, headers: HeaderList, body: Buffer | undefined, state: Exchange) {
    return new Promise<http.IncomingMessage>((resolvePromise, reject) => {
      if (state.closed) {
        reject(new EgressError("exchange closed"));
        return;
      }
      // Null prototype: a header named like an Object.prototype key (`__proto__`) is a header like any other.
      const outgoing: http.OutgoingHttpHeaders = Object.create(null) as http.OutgoingHttpHeaders;
      for (const [name, values] of headers) outgoing[name] = values.length === 1 ? values[0] : values;
      if (body !== undefined) outgoing["content-length"] = String(body.length);
      const request = (target.url.protocol === "https:" ? https : http).request({
        protocol: target.url.protocol,
        hostname: target.hostname,
        port: target.url.port === "" ? undefined : Number(target.url.port),
        path: `${target.url.pathname}${target.url.search}`,
        method,
        headers: outgoing,
        agent: false,
        lookup: pinnedLookup(target),
        insecureHTTPParser: false,
      });
      state.current = request;
      request.once("response", resolvePromise);
      request.once("error", reject);
      request.end(body);
    });
  }

  function readBody(response: http.IncomingMessage): Promise<string> {
    return new Promise((resolvePromise, reject) => {
      const tooLarge = () => new EgressError(`response larger than ${maxResponseBytes} bytes`);
      const declared = response.headers["content-length"];
      if (declared !== undefined && /^\d+$/.test(declared) && Number(declared) > maxResponseBytes) {
        response.destroy();
        reject(tooLarge());
        return;
      }
      const chunks: Buffer[] = [];
      let total = 0;
      let done = false;
      response.on("data", (chunk: Buffer) => {
        if (done) return;
        total += chunk.length;
        if (total > maxResponseBytes) {
          done = true;
          response.destroy();
          reject(tooLarge());
          return;
        }
        chunks.push(chunk);
      });
      response.once("end", () => {
        if (done) return;
        done = true;
        resolvePromise(Buffer.concat(chunks, total).toString("utf8"));
      });
      response.once("error", (err) => {
        if (done) return;
        done = true;
        reject(err);
      });
      response.once("close", () => {
        if (done) return;
        done = true;
        reject(new EgressError("connection closed before the response was complete"));
      });
    });
  }

  function responseHeaders(response: http.IncomingMessage): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    const raw = response.rawHeaders;
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const name = raw[i]!.toLowerCase();
      const value = raw[i + 1]!;
      if (Object.prototype.hasOwnProperty.call(out, name)) out[name]!.push(value);
      else Object.defineProperty(out, name, { value: [value], enumerable: true, writable: true, configurable: true });
    }
    return out;
  }

  async function exchange(request: EgressRequest, state: Exchange): Promise<EgressResult> {
    if (request === null || typeof request !== "object") throw new EgressError("request must be an object");
    if (typeof request.url !== "string") throw new EgressError("request url must be a string");
    if (request.body !== undefined && request.body !== null && typeof request.body !== "string") {
      throw new EgressError("request body must be a string");
    }
    let method = prepareMethod(request.method);
    let headers = prepareHeaders(request.headers);
    let body = typeof request.body === "string" ? Buffer.from(request.body, "utf8") : undefined;
    let url = request.url;
    for (let redirects = 0; ; redirects++) {
      let target: Target;
      try {
        target = await checkUrl(url, state);
      } catch (err) {
        if (redirects > 0 && err instanceof EgressError) {
          throw new EgressError(`redirect to ${quoteUrl(url)} refused: ${err.message}`);
        }
        throw err;
      }
      let response: http.IncomingMessage;
      try {
        response = await send(target, method, headers, body, state);
      } catch (err) {
        if (state.closed || err instanceof EgressError) throw err;
        throw new EgressError(`request to ${target.url.origin} failed: ${describeError(err)}`);
      }
      const status = response.statusCode ?? 0;
      const location = response.headers.location;
      if (REDIRECT_STATUSES.has(status) && location !== undefined) {
        response.destroy();
        if (redirects >= maxRedirects) {
          throw new EgressError(`too many redirects (more than ${maxRedirects}), last to ${quoteUrl(location)}`);
        }
        let next: URL;
        try {
          next = new URL(location, target.url);
        } catch {
          throw new EgressError(`invalid redirect location ${quoteUrl(location)} from ${target.url.origin}`);
        }
        if (status === 303 || ((status === 301 || status === 302) && method !== "GET" && method !== "HEAD")) {
          if (method !== "HEAD") method = "GET";
          body = undefined;
          headers = headers.filter(([name]) => name !== "content-type");
        }
        if (next.origin !== target.url.origin) headers = headers.filter(([name]) => !CREDENTIAL_HEADERS.has(name));
        next.hash = "";
        url = next.href;
        continue;
      }
      let text: string;
      try {
        text = await readBody(response);
      } catch (err) {
        if (state.closed || err instanceof EgressError) throw err;
        throw new EgressError(`reading the response from ${target.url.origin} failed: ${describeError(err)}`);
      }
      return { status, body: text, headers: responseHeaders(response) };
    }
  }

  function fetchWithin(request: EgressRequest, deadline: number, signal?: AbortSignal): Promise<EgressResult> {
    return new Promise<EgressResult>((resolvePromise) => {
      if (typeof deadline !== "number" || Number.isNaN(deadline)) {
        resolvePromise({ error: "invalid deadline" });
        return;
      }
      const remaining = deadline - performance.now();
      if (!(remaining > 0)) {
        resolvePromise({ error: "request timed out" });
        return;
      }
      if (signal?.aborted) {
        resolvePromise({ error: cancelled });
        return;
      }
      const state: Exchange = { closed: false };
      const onAbort = () => finish({ error: cancelled });
      const finish = (result: EgressResult) => {
        if (state.closed) return;
        state.closed = true;
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        state.current?.destroy();
        resolvePromise(result);
      };
      const timer = setTimeout(() => finish({ error: "request timed out" }), Math.min(remaining, MAX_TIMER_MS));
      signal?.addEventListener("abort", onAbort, { once: true });
      exchange(request, state).then(finish, (err: unknown) => finish({ error: describeError(err) }));
    });
  }

  return {
    async fetch(request, deadline, signal) {
      try {
        return await fetchWithin(request, deadline, signal);
      } catch (err) {
        return { error: describeError(err) };
      }
    },
  };
}
