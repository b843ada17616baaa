import { Code, ConnectError } from "@connectrpc/connect";
import { encodeEnvelope } from "@connectrpc/connect/protocol";
import { grpcStatusOk, setTrailerStatus } from "@connectrpc/connect/protocol-grpc";
import { trailerFlag, trailerSerialize } from "@connectrpc/connect/protocol-grpc-web";
import type { NodeRequest, NodeResponse } from "./node-http.js";

/** How a protocol served by the unary path (transport/unary-handler.ts) is recognised and how it frames its answers. */
export interface UnaryFraming {
  /** As connect names the protocol in the handler context. */
  readonly protocolName: "grpc" | "grpc-web";
  /** The answer's content type, as connect-node writes it. */
  readonly contentType: string;
  /**
   * Writes the whole answer: `headers`, then the enveloped message when there
   * is one, then the status: ok without `error`, else the error's code,
   * message and details.
   */
  write(res: NodeResponse, headers: Record<string, string>, message: Uint8Array | undefined, error?: ConnectError): void;
}

/** What a status becomes in trailers: an unknown error is Internal, its cause only in the log. */
export const completedWithoutCause = new ConnectError("internal error", Code.Internal);

function statusTrailer(error: ConnectError | undefined): Record<string, string> {
  return error ? Object.fromEntries(setTrailerStatus(new Headers(), error)) : { "grpc-status": grpcStatusOk };
}

/** gRPC over HTTP/2: the status goes in HTTP trailers. */
const grpc: UnaryFraming = {
  protocolName: "grpc",
  contentType: "application/grpc+proto",
  write(res, headers, message, error) {
    res.writeHead(200, headers);
    // The framing is chosen only for HTTP/2 requests (framingOf), whose responses have trailers.
    (res as Extract<NodeResponse, { addTrailers: unknown }>).addTrailers(statusTrailer(error));
    if (message) res.end(message);
    else res.end();
  },
};

/** gRPC-Web, over HTTP/1.1 or HTTP/2: the status goes in a last, flagged envelope of the body. */
const grpcWeb: UnaryFraming = {
  protocolName: "grpc-web",
  contentType: "application/grpc-web+proto",
  write(res, headers, message, error) {
    const trailer = encodeEnvelope(trailerFlag, trailerSerialize(new Headers(statusTrailer(error))));
    res.writeHead(200, headers);
    res.end(message ? Buffer.concat([message, trailer]) : trailer);
  },
};

/**
 * The framing of a request this path serves: binary gRPC over HTTP/2, or
 * binary gRPC-Web over either version, always POST. Anything else (gRPC
 * with JSON, gRPC-Web text or JSON, Connect, streams) is connect-node's.
 */
export function framingOf(req: Pick<NodeRequest, "httpVersionMajor" | "method" | "headers">): UnaryFraming | undefined {
  if (req.method !== "POST") return undefined;
  switch (req.headers["content-type"]) {
    case "application/grpc":
    case "application/grpc+proto":
      return req.httpVersionMajor === 2 ? grpc : undefined;
    case "application/grpc-web":
    case "application/grpc-web+proto":
      return grpcWeb;
    default:
      return undefined;
  }
}
