import { constants } from "node:http2";
import type { Socket } from "node:net";
import type { NodeRequest } from "./node-http.js";

export type BodyResult = { kind: "ok"; bytes: Buffer } | { kind: "too-large" } | { kind: "aborted" };

/**
 * Reads the whole body, but never more than `limit` bytes into memory: a
 * declared Content-Length over the limit is refused before reading, and a body
 * that grows past it stops being collected at once.
 */
export function readBody(req: NodeRequest, limit: number): Promise<BodyResult> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve({ kind: "too-large" });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: BodyResult) => {
      req.off("data", onData).off("end", onEnd).off("error", onAbort).off("aborted", onAbort).off("close", onAbort);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.pause();
        finish({ kind: "too-large" });
      } else chunks.push(chunk);
    };
    const onEnd = () => finish({ kind: "ok", bytes: Buffer.concat(chunks, size) });
    const onAbort = () => finish({ kind: "aborted" });
    req.on("data", onData).on("end", onEnd).on("error", onAbort).on("aborted", onAbort).on("close", onAbort);
  });
}

/**
 * After an oversized body has been answered, drops what the client still
 * sends so that an HTTP/1.1 connection stays usable for its next request. A
 * client that keeps sending well past that loses only its own request: the
 * HTTP/1.1 connection (which carries nothing else) or the one h2 stream, never
 * the h2 session with its other streams.
 */
export function discardBody(req: NodeRequest, allowance: number): void {
  let seen = 0;
  const onData = (chunk: Buffer) => {
    seen += chunk.length;
    if (seen <= allowance) return;
    req.off("data", onData);
    if ("stream" in req) req.stream.close(constants.NGHTTP2_CANCEL);
    else lingeringClose(req.socket);
  };
  req.on("data", onData);
  req.on("error", () => {}); // the request is already answered; a reset is expected here
  req.resume();
}

/** How long a closing HTTP/1.1 connection still takes (and drops) what its client sends. */
const lingerMs = 2000;

/**
 * Closes an HTTP/1.1 connection whose answer is written but whose client is
 * still sending: first a FIN after the answer, while what arrives is still
 * read and dropped, then the socket. Destroying it at once would close it
 * with unread bytes in the kernel's buffer, which resets the connection, and
 * a reset can make the client's kernel discard the answer before the client
 * has read it.
 */
function lingeringClose(socket: Socket): void {
  socket.end();
  setTimeout(() => socket.destroy(), lingerMs).unref();
}
