import { cors as connectCors } from "@connectrpc/connect";
import type { NodeRequest, NodeResponse } from "./node-http.js";

export interface CorsOptions {
  /** Allowed origins; "*" allows any. Empty disables CORS. */
  allowedOrigins: string[];
}

const allowMethods = [...new Set([...connectCors.allowedMethods, "GET", "POST", "PUT", "PATCH", "DELETE"])].join(", ");
const allowHeaders = [
  ...connectCors.allowedHeaders,
  "Authorization",
  "X-Zitadel-Orgid",
  "Accept-Language",
  "X-Grpc-Web",
  "X-User-Agent",
].join(", ");
// The request id (transport/request-id.ts), so that a browser's caller can quote it.
const exposeHeaders = [...connectCors.exposedHeaders, "X-Request-Id"].join(", ");

/**
 * Browser access for gRPC-Web, Connect and REST callers. Answers preflights
 * itself (returns true) and decorates every other response from an allowed
 * origin with the exposed gRPC headers.
 */
export function createCors(options: CorsOptions) {
  const anyOrigin = options.allowedOrigins.includes("*");
  const allowed = new Set(options.allowedOrigins);
  return function handleCors(req: NodeRequest, res: NodeResponse): boolean {
    const origin = req.headers.origin;
    if (typeof origin !== "string" || !(anyOrigin || allowed.has(origin))) return false;
    res.setHeader("Access-Control-Allow-Origin", anyOrigin ? "*" : origin);
    res.setHeader("Vary", "Origin");
    if (req.method === "OPTIONS" && req.headers["access-control-request-method"]) {
      res.setHeader("Access-Control-Allow-Methods", allowMethods);
      res.setHeader("Access-Control-Allow-Headers", allowHeaders);
      res.setHeader("Access-Control-Max-Age", "7200");
      res.writeHead(204);
      res.end();
      return true;
    }
    res.setHeader("Access-Control-Expose-Headers", exposeHeaders);
    return false;
  };
}
