import type { Logger } from "../logger.js";
import { discardUnreadBody } from "./early-answer.js";
import { type NodeRequest, type NodeResponse, requestPath } from "./node-http.js";

/** A small answer of an operational endpoint. */
export interface OpsAnswer {
  status: number;
  contentType: string;
  body: string;
}

/** Makes an endpoint's answer when it is asked: probes and scrapes want the state of now. */
export type OpsEndpoint = () => OpsAnswer | Promise<OpsAnswer>;

export const plainText = "text/plain; charset=utf-8";

/**
 * The operational endpoints (`/metrics`, `/healthz`, `/readyz`) at their
 * fixed paths, GET or HEAD, served before the auth gate and everything else:
 * load balancers and scrapers send no token, and each answer is the state of
 * now, never cached (docs/observability.md). Returns false for any other path.
 */
export function createOpsEndpoints(endpoints: Record<string, OpsEndpoint>, log: Logger): (req: NodeRequest, res: NodeResponse) => boolean {
  const byPath = new Map(Object.entries(endpoints));
  return (req, res) => {
    const endpoint = byPath.get(requestPath(req));
    if (!endpoint) return false;
    if (req.method !== "GET" && req.method !== "HEAD") {
      write(req, res, { status: 405, contentType: plainText, body: "GET or HEAD\n" }, { allow: "GET, HEAD" });
      discardUnreadBody(req);
      return true;
    }
    const answer = endpoint();
    if (!(answer instanceof Promise)) write(req, res, answer);
    else {
      answer.then(
        (a) => write(req, res, a),
        (err: unknown) => {
          log.error("operational endpoint failed", { err, path: requestPath(req) });
          write(req, res, { status: 500, contentType: plainText, body: "internal error\n" });
        },
      );
    }
    return true;
  };
}

function write(req: NodeRequest, res: NodeResponse, answer: OpsAnswer, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.writableEnded) return;
  res.writeHead(answer.status, {
    ...headers,
    "content-type": answer.contentType,
    "content-length": String(Buffer.byteLength(answer.body)),
    "cache-control": "no-store",
  });
  if (req.method === "HEAD") res.end();
  else res.end(answer.body);
}
