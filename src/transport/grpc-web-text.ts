import type { UniversalHandler } from "@connectrpc/connect/protocol";
import { universalRequestFromNodeRequest, universalResponseToNodeResponse } from "@connectrpc/connect-node";
import type { NodeRequest, NodeResponse } from "./node-http.js";
import { readBody } from "./read-body.js";

const textType = /^application\/grpc-web-text(\+proto)?(;|$)/i;

/** Cheap and synchronous, so every other request skips the shim without a promise hop. */
export function isGrpcWebText(req: NodeRequest): boolean {
  return textType.test(req.headers["content-type"] ?? "");
}

/**
 * connect-es answers 415 to `application/grpc-web-text` (Google's grpc-web
 * clients in text mode). This shim decodes the base64 body, calls the same
 * handler as `application/grpc-web+proto`, and base64-encodes each response
 * chunk (padded chunks may be concatenated, as the grpc-web spec allows).
 * Returns false when the request is not grpc-web-text or names no method.
 */
export function createGrpcWebTextHandler(handlers: UniversalHandler[], readMaxBytes: number) {
  const byPath = new Map(handlers.map((h) => [h.requestPath, h]));
  const maxEncoded = Math.ceil(readMaxBytes / 3) * 4 + 1024;
  return async function handleGrpcWebText(req: NodeRequest, res: NodeResponse): Promise<boolean> {
    if (!isGrpcWebText(req)) return false;
    const handler = byPath.get(new URL(req.url ?? "/", "http://localhost").pathname);
    if (!handler) return false;
    const read = await readBody(req, maxEncoded);
    if (read.kind === "aborted") return true;
    if (read.kind === "too-large") {
      res.writeHead(200, { "content-type": "application/grpc-web-text+proto", "grpc-status": "8", "grpc-message": "message larger than configured limit" });
      res.end();
      return true;
    }
    const binary = decodeConcatenatedBase64(read.bytes.toString("latin1"));
    const ureq = universalRequestFromNodeRequest(req, res, undefined, undefined);
    ureq.header.set("content-type", "application/grpc-web+proto");
    const uresp = await handler({ ...ureq, body: single(binary) });
    uresp.header?.set?.("content-type", "application/grpc-web-text+proto");
    await universalResponseToNodeResponse({ ...uresp, body: uresp.body && toBase64Chunks(uresp.body) }, res);
    return true;
  };
}

function decodeConcatenatedBase64(text: string): Uint8Array {
  const parts = text.replace(/\s+/g, "").match(/[^=]+=*/g) ?? [];
  return Buffer.concat(parts.map((p) => Buffer.from(p, "base64")));
}

async function* single(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  yield bytes;
}

async function* toBase64Chunks(body: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  for await (const chunk of body) yield Buffer.from(Buffer.from(chunk).toString("base64"), "latin1");
}
