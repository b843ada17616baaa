import http from "node:http";
import https from "node:https";
import type { Target } from "./check-url.js";
import { EgressError } from "./egress-error.js";
import type { Exchange } from "./exchange-lifetime.js";
import { outgoingHeaders } from "./headers.js";
import { pinnedLookup } from "./pinned-lookup.js";
import type { PreparedRequest } from "./prepare-request.js";

/**
 * Sends one hop to its checked target and resolves with the response head.
 * The connection is pinned to the checked addresses, and `agent: false` means
 * no pooling: a socket checked under one policy is never reused by another.
 */
export function sendRequest(target: Target, request: PreparedRequest, exchange: Exchange): Promise<http.IncomingMessage> {
  return new Promise<http.IncomingMessage>((resolvePromise, reject) => {
    if (exchange.closed) {
      reject(new EgressError("exchange closed"));
      return;
    }
    const clientRequest = (target.url.protocol === "https:" ? https : http).request({
      protocol: target.url.protocol,
      hostname: target.hostname,
      port: target.url.port === "" ? undefined : Number(target.url.port),
      path: `${target.url.pathname}${target.url.search}`,
      method: request.method,
      headers: outgoingHeaders(request.headers, request.body),
      agent: false,
      lookup: pinnedLookup(target),
      insecureHTTPParser: false,
    });
    exchange.current = clientRequest;
    clientRequest.once("response", resolvePromise);
    clientRequest.once("error", reject);
    clientRequest.end(request.body);
  });
}
