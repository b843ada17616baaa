import { Code, ConnectError } from "@connectrpc/connect";
import type { ConnectNodeAdapterOptions } from "@connectrpc/connect-node";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Http2ServerRequest, Http2ServerResponse } from "node:http2";

/** A request from node:http or from node:http2's compatibility API. */
export type NodeRequest = IncomingMessage | Http2ServerRequest;

/**
 * A response from either module, as connect-node types it: their `write` and
 * `writeHead` overloads do not unify, so connect-node patches them to agree.
 * Written against this type, a handler runs on both and is accepted by
 * connectNodeAdapter and as its `fallback` without a cast.
 */
export type NodeResponse = Parameters<NonNullable<ConnectNodeAdapterOptions["fallback"]>>[1];

/** The HTTP/2 side of NodeResponse, which `"stream" in res` narrows to: it has trailers. */
export type NodeHttp2Response = Extract<NodeResponse, { stream: unknown }>;

/**
 * What Node's http and http2 servers call. A handler of
 * `(NodeRequest, NodeResponse)` fits it; the reverse needs a cast.
 */
export type NodeListener = (req: NodeRequest, res: ServerResponse | Http2ServerResponse) => void;

/**
 * The first value of a request header, or null, which is what `Headers.get`
 * and connect's parsers speak. `name` may be spelled as connect's constants
 * spell it ("Grpc-Timeout"): Node keeps header names in lower case.
 */
export function headerValue(req: Pick<NodeRequest, "headers">, name: string): string | null {
  const value = req.headers[name.toLowerCase()];
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

/** A request header with repeated fields joined by ", ", as `Headers.get` joins them; undefined when absent. */
export function joinedHeader(req: Pick<NodeRequest, "headers">, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(", ") : value;
}

/** Whether the client left before its answer was complete, and whom to tell. */
export interface ClientWatch {
  /** Canceled once the client has left; undefined while it waits. */
  readonly goneReason: ConnectError | undefined;
  /** Calls `fn` when the client leaves, or at once if it has; one listener. */
  onGone(fn: (reason: ConnectError) => void): void;
}

/**
 * Watches for the client leaving before the response is complete, so that a
 * handler stops work nobody will read. Call it before reading the body: a
 * client may leave at any point. A flag and a callback rather than an
 * AbortController: every call has one, and the call's own signal is made
 * later (transport/call-signal.ts).
 */
export function watchClient(res: NodeResponse): ClientWatch {
  let goneReason: ConnectError | undefined;
  let listener: ((reason: ConnectError) => void) | undefined;
  res.once("close", () => {
    if (res.writableEnded) return;
    goneReason = new ConnectError("client disconnected", Code.Canceled);
    listener?.(goneReason);
  });
  return {
    get goneReason() {
      return goneReason;
    },
    onGone(fn) {
      if (goneReason) fn(goneReason);
      else listener = fn;
    },
  };
}

/** The path of the request's URL, without its query. */
export function requestPath(req: Pick<NodeRequest, "url">): string {
  const url = req.url ?? "/";
  const q = url.indexOf("?");
  return q === -1 ? url : url.slice(0, q);
}

/** What connect-node gives handlers as the request's headers: every header but HTTP/2's pseudo-headers. */
export function handlerHeaders(req: Pick<NodeRequest, "headers">): Headers {
  const headers = new Headers();
  for (const name in req.headers) {
    if (name.charCodeAt(0) === 58 /* ":" */) continue;
    const value = req.headers[name];
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else headers.append(name, value);
  }
  return headers;
}
