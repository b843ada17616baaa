import type { JsonWriteOptions } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { type Compression, compressionNegotiate } from "@connectrpc/connect/protocol";
import {
  codeToHttpStatus,
  contentTypeUnaryJson,
  contentTypeUnaryProto,
  errorToJsonBytes,
  headerTimeout,
  headerUnaryAcceptEncoding,
  headerUnaryEncoding,
  parseContentType,
  parseTimeout,
} from "@connectrpc/connect/protocol-connect";
import type { Logger } from "../logger.js";
import { type CallContext, type CallTarget, callOptionsOf, callUnary, clientLeft, observeEarlyEnd, type Serializers } from "./invoke-unary.js";
import { headerValue, type NodeRequest, type NodeResponse, watchClient } from "./node-http.js";
import { readBody } from "./read-body.js";
import { completedWithoutCause } from "./unary-framing.js";

export interface ConnectUnaryOptions extends CallContext {
  readMaxBytes: number;
  compressions: Compression[];
  compressMinBytes: number;
  /** How errors are written as JSON, as connect-node is told. */
  jsonOptions?: Partial<JsonWriteOptions>;
  log: Logger;
}

/** A unary Connect POST this path serves: its message is binary (application/proto) or JSON (application/json). */
export function connectUnaryType(req: Pick<NodeRequest, "method" | "headers">): { binary: boolean } | undefined {
  if (req.method !== "POST") return undefined;
  const type = parseContentType(req.headers["content-type"] ?? null);
  return type && !type.stream ? type : undefined;
}

/**
 * One unary Connect call, as connect-node's unary handler answers it: the
 * message alone as the body, or an error as Connect's JSON with the HTTP
 * status of its code and its metadata as headers. Connect GET requests are
 * connect-node's.
 */
export async function serveConnectUnary(
  target: CallTarget,
  serializers: Serializers,
  binary: boolean,
  req: NodeRequest,
  res: NodeResponse,
  opts: ConnectUnaryOptions,
): Promise<void> {
  const startedAt = performance.now();
  const compression = compressionNegotiate(opts.compressions, headerValue(req, headerUnaryEncoding), headerValue(req, headerUnaryAcceptEncoding), headerUnaryAcceptEncoding);
  const timeout = parseTimeout(headerValue(req, headerTimeout), Number.MAX_SAFE_INTEGER);
  const client = watchClient(res);
  let headers: Record<string, string> = { "content-type": binary ? contentTypeUnaryProto : contentTypeUnaryJson };
  let status = 200;
  let body: Uint8Array;
  // Until the interceptors run, whatever ends the call is told to its observer here.
  let beforeChain = true;
  try {
    if (compression.error) throw compression.error;
    if (timeout.error) throw timeout.error;
    const read = await readBody(req, opts.readMaxBytes);
    if (read.kind === "aborted") return observeEarlyEnd(target, req, "connect", clientLeft, startedAt);
    if (read.kind === "too-large") throw new ConnectError(`message size is larger than configured readMaxBytes ${opts.readMaxBytes}`, Code.ResourceExhausted);
    const bytes = compression.request ? await compression.request.decompress(read.bytes, opts.readMaxBytes) : read.bytes;
    const input = serializers.getI(binary).parse(bytes);
    beforeChain = false;
    const result = await callUnary(target, input, callOptionsOf(req, "connect", timeout.timeoutMs, client, opts));
    headers = { ...headers, ...Object.fromEntries(result.responseHeader) };
    if (!result.ok) throw result.error;
    body = serializers.getO(binary).serialize(result.message);
  } catch (err) {
    if (beforeChain) observeEarlyEnd(target, req, "connect", err, startedAt);
    if (!(err instanceof ConnectError)) opts.log.error("connect: handler failed", { err, rpc: req.url });
    const error = err instanceof ConnectError ? err : completedWithoutCause;
    status = codeToHttpStatus(error.code);
    headers["content-type"] = contentTypeUnaryJson;
    error.metadata.forEach((value, key) => (headers[key] = value));
    body = errorToJsonBytes(error, opts.jsonOptions ?? {});
  }
  if (compression.response && body.byteLength >= opts.compressMinBytes) {
    body = await compression.response.compress(body);
    headers[headerUnaryEncoding.toLowerCase()] = compression.response.name;
  }
  headers["content-length"] = String(body.byteLength);
  res.writeHead(status, headers);
  res.end(body);
}
