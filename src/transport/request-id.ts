import { randomUUID } from "node:crypto";
import type { NodeRequest, NodeResponse } from "./node-http.js";

/** The header a request's id travels in, both ways. */
export const requestIdHeader = "x-request-id";

/** What a proxy's id may look like to be kept: visible ASCII, short enough for a log line. */
const saneId = /^[\x21-\x7e]{1,128}$/;

/**
 * Gives the request its id before anything else reads it: the one a proxy
 * sent when it is sane, otherwise a fresh UUID. The id is answered in the
 * `x-request-id` response header, on every protocol (for gRPC, as a response
 * header), and written back into the request's own `x-request-id`, so that
 * each layer finds it where it reads the other headers: the call log through
 * the call's headers, the auth gate and the ZITADEL target route on the
 * request (docs/observability.md, Request id).
 */
export function assignRequestId(req: NodeRequest, res: NodeResponse): string {
  const sent = req.headers[requestIdHeader];
  const id = typeof sent === "string" && saneId.test(sent) ? sent : randomUUID();
  req.headers[requestIdHeader] = id;
  res.setHeader(requestIdHeader, id);
  return id;
}

/** The id assignRequestId gave the request. */
export function requestIdOf(req: Pick<NodeRequest, "headers">): string | undefined {
  const id = req.headers[requestIdHeader];
  return typeof id === "string" ? id : undefined;
}
