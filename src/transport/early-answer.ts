import type { ConnectError } from "@connectrpc/connect";
import { encodeEnvelope } from "@connectrpc/connect/protocol";
import { codeToHttpStatus, errorToJsonBytes } from "@connectrpc/connect/protocol-connect";
import { setTrailerStatus } from "@connectrpc/connect/protocol-grpc";
import { trailerFlag, trailerSerialize } from "@connectrpc/connect/protocol-grpc-web";
import { type NodeRequest, type NodeResponse, requestPath } from "./node-http.js";
import { discardBody } from "./read-body.js";

/** The wire protocols a request to an RPC path may speak, told apart by content type as connect's router does. */
export type RpcProtocol = "grpc" | "grpc-web" | "grpc-web-text" | "connect";

const protocols: [RegExp, RpcProtocol][] = [
  [/^application\/grpc-web-text(\+proto)?$/, "grpc-web-text"],
  [/^application\/grpc-web(\+[a-z]+)?$/, "grpc-web"],
  [/^application\/grpc(\+[a-z]+)?$/, "grpc"],
  [/^application\/(json|proto)$/, "connect"],
];

/**
 * The protocol of a request to an RPC path, or undefined for a content type no
 * handler takes (connect answers those 415 without reading the body).
 */
export function rpcProtocolOf(req: NodeRequest): RpcProtocol | undefined {
  if (req.method === "GET") return "connect"; // Connect's GET for side-effect-free methods
  const type = (req.headers["content-type"] ?? "").split(";", 1)[0]!.trim().toLowerCase();
  return protocols.find(([pattern]) => pattern.test(type))?.[1];
}

/**
 * Bytes an HTTP/1.1 client may still send after an early answer, so that a
 * small request keeps its connection; past them the connection is closed.
 * HTTP/2 needs none: Node resets a stream answered before its body was read,
 * with NO_ERROR, as RFC 9113 §8.1 allows.
 */
const h1DiscardAllowance = 64 * 1024;

export type EarlyAnswer = (req: NodeRequest, res: NodeResponse, err: ConnectError) => void;

/**
 * Answers a request with an error before any of its body was read, in the
 * form its protocol gives errors, and discards the body: on an RPC path,
 * gRPC trailers-only, a gRPC-Web trailer frame (base64 in text mode) or
 * Connect's JSON error with its HTTP status; anywhere else, as the REST
 * gateway writes errors.
 */
export function createEarlyAnswer(rpcPaths: Set<string>, writeRestError: (res: NodeResponse, err: ConnectError) => void): EarlyAnswer {
  return (req, res, err) => {
    const protocol = rpcPaths.has(requestPath(req)) ? rpcProtocolOf(req) : undefined;
    if (protocol) writeRpcError(req, res, protocol, err);
    else writeRestError(res, err);
    discardUnreadBody(req);
  };
}

/**
 * After an answer given before the body was read: on HTTP/1.1, reads and
 * drops what the client still sends, up to the allowance; HTTP/2 resets the
 * stream itself.
 */
export function discardUnreadBody(req: NodeRequest): void {
  if (!("stream" in req)) discardBody(req, h1DiscardAllowance);
}

function writeRpcError(req: NodeRequest, res: NodeResponse, protocol: RpcProtocol, err: ConnectError): void {
  const type = req.headers["content-type"] ?? "";
  switch (protocol) {
    case "grpc": {
      const headers = { "content-type": type, ...Object.fromEntries(setTrailerStatus(new Headers(), err)) };
      // Trailers-only: one HEADERS frame that ends the stream. Node's compatibility
      // API would end it with an empty DATA frame, and grpc-js then reads the
      // status as headers and the call as ended without one.
      if ("stream" in res) res.stream.respond({ ...res.getHeaders(), ...headers, ":status": 200 }, { endStream: true });
      else res.writeHead(200, headers).end();
      break;
    }
    case "grpc-web":
    case "grpc-web-text": {
      const frame = Buffer.from(encodeEnvelope(trailerFlag, trailerSerialize(setTrailerStatus(new Headers(), err))));
      const body = protocol === "grpc-web" ? frame : Buffer.from(frame.toString("base64"), "latin1");
      res.writeHead(200, { "content-type": type, "content-length": body.length });
      res.end(body);
      break;
    }
    case "connect": {
      const body = errorToJsonBytes(err, {});
      res.writeHead(codeToHttpStatus(err.code), { "content-type": "application/json", "content-length": body.length });
      res.end(body);
      break;
    }
  }
}
