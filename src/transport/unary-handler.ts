import type { JsonReadOptions, JsonWriteOptions } from "@bufbuild/protobuf";
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
import { headerAcceptEncoding, headerEncoding, headerTimeout, parseTimeout } from "@connectrpc/connect/protocol-grpc";
import { compressionBrotli, compressionGzip } from "@connectrpc/connect-node";
import type { Logger } from "../logger.js";
import { connectUnaryType, serveConnectUnary } from "./connect-unary.js";
import {
  type CallContext,
  type CallTarget,
  callUnary,
  type ImplementedService,
  callOptionsOf,
  clientLeft,
  observeEarlyEnd,
  type Serializers,
  unaryTargets,
} from "./invoke-unary.js";
import { envelopeHeaderBytes, singleMessage } from "./grpc-envelope.js";
import { headerValue, type NodeRequest, type NodeResponse, watchClient } from "./node-http.js";
import { completedWithoutCause, framingOf, type UnaryFraming } from "./unary-framing.js";
import { readBody } from "./read-body.js";

export interface UnaryOptions extends CallContext {
  services: ImplementedService[];
  readMaxBytes: number;
  writeMaxBytes: number;
  /** connect-node's JSON options, for Connect's JSON messages and errors. */
  jsonOptions?: Partial<JsonReadOptions & JsonWriteOptions>;
  log: Logger;
}

// What connect-node accepts and answers with, so a client sees the same server either way.
const compressions: Compression[] = [compressionGzip, compressionBrotli];
const compressMinBytes = 1024;

/**
 * Unary calls in binary gRPC (over HTTP/2), binary gRPC-Web and Connect
 * (POST, binary or JSON; over either version), served without
 * connect-node's per-call pipeline of async iterables and abort signals,
 * which costs about 1 ms of CPU per call on a 2-core machine
 * (docs/transport.md, docs/benchmarks.md). It uses connect's own pieces
 * (serialization and its limits, envelopes and their compression,
 * compression negotiation, timeout parsing, status and error encoding) and
 * runs the same interceptors through the same invoker as REST, so the wire
 * and the errors are connect-node's. gRPC and gRPC-Web differ only in where
 * the status goes (transport/unary-framing.ts); Connect is
 * transport/connect-unary.ts. Anything else (streams, gRPC or gRPC-Web with
 * JSON, gRPC-Web text, Connect GET) is left to connect-node: the returned
 * function says false.
 */
export function createUnaryHandler(opts: UnaryOptions): (req: NodeRequest, res: NodeResponse) => boolean {
  const methods = new Map<string, { target: CallTarget; serializers: Serializers }>();
  for (const { method, target } of opts.services.flatMap(unaryTargets)) {
    const serializers = createMethodSerializationLookup(target.spec.method, undefined, opts.jsonOptions, opts);
    methods.set(`/${method.parent.typeName}/${method.name}`, { target, serializers });
  }
  const connect = { ...opts, compressions, compressMinBytes };

  return (req, res) => {
    const found = methods.get(req.url ?? "");
    if (!found) return false;
    const framing = framingOf(req);
    const connectType = framing ? undefined : connectUnaryType(req);
    if (!framing && !connectType) return false;
    const served = framing
      ? serve(found.target, found.serializers, framing, req, res, opts)
      : serveConnectUnary(found.target, found.serializers, connectType!.binary, req, res, connect);
    served.catch((err: unknown) => {
      const protocol = framing?.protocolName ?? "connect";
      opts.log.error(`${protocol}: request failed`, { err, rpc: req.url });
      if (framing && !res.headersSent) return framing.write(res, { "content-type": framing.contentType }, undefined, completedWithoutCause);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
    return true;
  };
}

async function serve(target: CallTarget, serializers: Serializers, framing: UnaryFraming, req: NodeRequest, res: NodeResponse, opts: UnaryOptions): Promise<void> {
  const startedAt = performance.now();
  const compression = compressionNegotiate(compressions, headerValue(req, headerEncoding), headerValue(req, headerAcceptEncoding), headerAcceptEncoding);
  const baseHeaders: Record<string, string> = { "content-type": framing.contentType };
  if (compression.response) baseHeaders[headerEncoding.toLowerCase()] = compression.response.name;
  const fail = (headers: Record<string, string>, err: unknown) =>
    framing.write(res, headers, undefined, err instanceof ConnectError ? err : completedWithoutCause);
  const timeout = parseTimeout(headerValue(req, headerTimeout), Number.MAX_SAFE_INTEGER);
  const client = watchClient(res);

  // Everything that can end the call before the interceptors: the call log does not see these.
  let input;
  try {
    if (compression.error) throw compression.error;
    if (timeout.error) throw timeout.error;
    const read = await readBody(req, opts.readMaxBytes + envelopeHeaderBytes);
    if (read.kind === "aborted") return observeEarlyEnd(target, req, framing.protocolName, clientLeft, startedAt);
    if (read.kind === "too-large") {
      throw new ConnectError(`message size is larger than configured readMaxBytes ${opts.readMaxBytes}`, Code.ResourceExhausted);
    }
    input = await readInput(read.bytes, compression.request, serializers, opts.readMaxBytes);
  } catch (err) {
    observeEarlyEnd(target, req, framing.protocolName, err, startedAt);
    return fail(baseHeaders, err);
  }
  const result = await callUnary(target, input, callOptionsOf(req, framing.protocolName, timeout.timeoutMs, client, opts));
  const headers = { ...baseHeaders, ...Object.fromEntries(result.responseHeader) };
  if (!result.ok) {
    if (!(result.error instanceof ConnectError)) {
      opts.log.error(`${framing.protocolName}: handler failed`, { err: result.error, rpc: req.url });
    }
    return fail(headers, result.error);
  }
  let output: EnvelopedMessage;
  try {
    output = { flags: 0, data: serializers.getO(true).serialize(result.message) };
  } catch (err) {
    return fail(headers, err);
  }
  const sent = await envelopeCompress(output, compression.response, compressMinBytes);
  framing.write(res, headers, encodeEnvelope(sent.flags, sent.data));
}

/** The request message, decompressed and parsed. */
async function readInput(body: Uint8Array, compression: Compression | null, serializers: Serializers, readMaxBytes: number) {
  const { data } = await envelopeDecompress(singleMessage(body, readMaxBytes), compression, readMaxBytes);
  return serializers.getI(true).parse(data);
}
