import { Code, ConnectError } from "@connectrpc/connect";
import { EventEmitter } from "node:events";
import http2 from "node:http2";
import type { NodeRequest, NodeResponse } from "./node-http.js";

export interface RequestBudget {
  /** Request body bytes held now, across the process. */
  readonly held: number;
  /**
   * Starts metering a request's body, or returns the error to refuse it with
   * when the budget is spent already, or cannot take its declared length.
   * A body that overruns the budget while it is read is reset (HTTP/2
   * ENHANCE_YOUR_CALM, which clients report as ResourceExhausted) or, on
   * HTTP/1.1, has its connection closed.
   */
  admit(req: NodeRequest, res: NodeResponse): ConnectError | undefined;
}

const spent = new ConnectError("the server holds too many request bytes; retry later", Code.ResourceExhausted);

/**
 * The bytes of request bodies held in memory, whoever reads them (connect-node,
 * the gRPC fast path, the REST gateway): each body is counted as the handler
 * reads it, until its response is done (docs/transport.md, Limits).
 */
export function createRequestBudget(maxBytes: number): RequestBudget {
  let held = 0;
  return {
    get held() {
      return held;
    },
    admit(req, res) {
      const declared = Number(req.headers["content-length"] ?? 0);
      if (held >= maxBytes || held + declared > maxBytes) return spent;
      let mine = 0;
      const onData = (chunk: Buffer) => {
        mine += chunk.length;
        held += chunk.length;
        if (held > maxBytes) overrun(req);
      };
      // Added as a plain event listener, it observes every chunk the handler
      // reads without putting the request into flowing mode, as Readable's own
      // `on("data")` would: the handler decides when and how to read.
      EventEmitter.prototype.on.call(req, "data", onData);
      res.once("close", () => {
        req.off("data", onData);
        held -= mine;
        mine = 0;
      });
      return undefined;
    },
  };
}

function overrun(req: NodeRequest): void {
  if ("stream" in req) req.stream.close(http2.constants.NGHTTP2_ENHANCE_YOUR_CALM);
  else req.socket.destroy();
}
