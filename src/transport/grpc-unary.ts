import type { DescMessage } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import {
  type Compression,
  compressionNegotiate,
  createMethodSerializationLookup,
  encodeEnvelope,
  type EnvelopedMessage,
  envelopeCompress,
  envelopeDecompress,
} from "@connectrpc/connect/protocol";
import { grpcStatusOk, headerAcceptEncoding, headerEncoding, headerTimeout, parseTimeout, setTrailerStatus } from "@connectrpc/connect/protocol-grpc";
import { compressionBrotli, compressionGzip } from "@connectrpc/connect-node";
import type { Http2ServerRequest, IncomingHttpHeaders } from "node:http2";
import type { Logger } from "../logger.js";
import { type CallContext, type CallTarget, callUnary, type ImplementedService, unaryTargets } from "./invoke-unary.js";
import { envelopeHeaderBytes, singleMessage } from "./grpc-envelope.js";
import { headerValue, type NodeHttp2Response, type NodeRequest, type NodeResponse, watchClient } from "./node-http.js";
import { readBody } from "./read-body.js";

export interface GrpcUnaryOptions extends CallContext {
  services: ImplementedService[];
  readMaxBytes: number;
  writeMaxBytes: number;
  log: Logger;
}

type Serializers = ReturnType<typeof createMethodSerializationLookup<DescMessage, DescMessage>>;

// What connect-node accepts and answers with, so a client sees the same server either way.
const compressions: Compression[] = [compressionGzip, compressionBrotli];
const compressMinBytes = 1024;
const contentType = "application/grpc+proto";
const completedWithoutCause = new ConnectError("internal error", Code.Internal);

/**
 * Unary gRPC calls (binary, over HTTP/2) served without connect-node's
 * per-call pipeline of async iterables and abort signals, which costs about
 * 1 ms of CPU per call on a 2-core machine (docs/transport.md,
 * docs/benchmarks.md). It uses connect's own pieces (serialization and its
 * limits, envelopes and their compression, compression negotiation, timeout
 * parsing, trailer status) and runs the same interceptors through the same
 * invoker as REST, so the wire and the errors are connect-node's. Anything
 * else (streams, gRPC with JSON, gRPC-Web, Connect) is left to connect-node:
 * the returned function says false.
 */
export function createGrpcUnaryHandler(opts: GrpcUnaryOptions): (req: NodeRequest, res: NodeResponse) => boolean {
  const methods = new Map<string, { target: CallTarget; serializers: Serializers }>();
  for (const { method, target } of opts.services.flatMap(unaryTargets)) {
    const serializers = createMethodSerializationLookup(target.spec.method, undefined, undefined, opts);
    methods.set(`/${method.parent.typeName}/${method.name}`, { target, serializers });
  }

  return (req, res) => {
    const found = isBinaryGrpc(req) ? methods.get(req.url ?? "") : undefined;
    // isBinaryGrpc has seen HTTP/2; the `in` checks tell the compiler so (trailers are HTTP/2's).
    if (!found || !("stream" in req && "stream" in res)) return false;
    serve(found.target, found.serializers, req, res, opts).catch((err: unknown) => {
      opts.log.error("grpc: request failed", { err, rpc: req.url });
      if (!res.headersSent) writeStatus(res, {}, completedWithoutCause);
      else res.end();
    });
    return true;
  };
}

/** gRPC with protobuf over HTTP/2: what this path serves (for a unary method). */
export function isBinaryGrpc(req: Pick<NodeRequest, "httpVersionMajor" | "method" | "headers">): boolean {
  if (req.httpVersionMajor !== 2 || req.method !== "POST") return false;
  const type = req.headers["content-type"];
  return type === "application/grpc" || type === contentType;
}

async function serve(target: CallTarget, serializers: Serializers, req: Http2ServerRequest, res: NodeHttp2Response, opts: GrpcUnaryOptions): Promise<void> {
  const compression = compressionNegotiate(compressions, headerValue(req, headerEncoding), headerValue(req, headerAcceptEncoding), headerAcceptEncoding);
  const baseHeaders: Record<string, string> = { "content-type": contentType };
  if (compression.response) baseHeaders[headerEncoding.toLowerCase()] = compression.response.name;
  if (compression.error) return writeStatus(res, baseHeaders, compression.error);
  const timeout = parseTimeout(headerValue(req, headerTimeout), Number.MAX_SAFE_INTEGER);
  if (timeout.error) return writeStatus(res, baseHeaders, timeout.error);

  const client = watchClient(res);
  const read = await readBody(req, opts.readMaxBytes + envelopeHeaderBytes);
  if (read.kind === "aborted") return;
  if (read.kind === "too-large") {
    const tooLarge = new ConnectError(`message size is larger than configured readMaxBytes ${opts.readMaxBytes}`, Code.ResourceExhausted);
    return writeStatus(res, baseHeaders, tooLarge);
  }

  let input;
  try {
    input = await readInput(read.bytes, compression.request, serializers, opts.readMaxBytes);
  } catch (err) {
    return writeStatus(res, baseHeaders, err);
  }
  const result = await callUnary(target, input, {
    protocolName: "grpc",
    url: `http://${headerValue(req, ":authority") ?? "localhost"}${req.url}`,
    requestHeader: requestHeaders(req.headers),
    timeoutMs: timeout.timeoutMs,
    client,
    shutdownSignal: opts.shutdownSignal,
    contextValues: opts.contextValues?.(req),
  });
  const headers = { ...baseHeaders, ...Object.fromEntries(result.responseHeader) };
  if (!result.ok) {
    if (!(result.error instanceof ConnectError)) {
      opts.log.error("grpc: handler failed", { err: result.error, rpc: req.url });
    }
    return writeStatus(res, headers, result.error);
  }
  let output: EnvelopedMessage;
  try {
    output = { flags: 0, data: serializers.getO(true).serialize(result.message) };
  } catch (err) {
    return writeStatus(res, headers, err);
  }
  const sent = await envelopeCompress(output, compression.response, compressMinBytes);
  res.writeHead(200, headers);
  res.addTrailers({ "grpc-status": grpcStatusOk });
  res.end(encodeEnvelope(sent.flags, sent.data));
}

/** The request message, decompressed and parsed. */
async function readInput(body: Uint8Array, compression: Compression | null, serializers: Serializers, readMaxBytes: number) {
  const { data } = await envelopeDecompress(singleMessage(body, readMaxBytes), compression, readMaxBytes);
  return serializers.getI(true).parse(data);
}

/** Answers with no message: status, message and details go in the trailers, as connect-node writes them. */
function writeStatus(res: NodeHttp2Response, headers: Record<string, string>, err: unknown): void {
  const error = err instanceof ConnectError ? err : completedWithoutCause;
  res.writeHead(200, headers);
  res.addTrailers(Object.fromEntries(setTrailerStatus(new Headers(), error)));
  res.end();
}

/** What connect-node gives handlers: every header but HTTP/2's pseudo-headers. */
function requestHeaders(incoming: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const name in incoming) {
    if (name.charCodeAt(0) === 58 /* ":" */) continue;
    const value = incoming[name];
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else headers.append(name, value);
  }
  return headers;
}
