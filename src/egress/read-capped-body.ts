import type http from "node:http";
import { EgressError } from "./egress-error.js";

/**
 * The whole response body as UTF-8, refused once it passes `maxBytes`: early
 * when Content-Length already says so, else as soon as the received bytes do,
 * so an endless body never fills memory.
 */
export function readCappedBody(response: http.IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const tooLarge = () => new EgressError(`response larger than ${maxBytes} bytes`, "response-too-large");
    const declared = response.headers["content-length"];
    if (declared !== undefined && /^\d+$/.test(declared) && Number(declared) > maxBytes) {
      response.destroy();
      reject(tooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let total = 0;
    let done = false;
    response.on("data", (chunk: Buffer) => {
      if (done) return;
      total += chunk.length;
      if (total > maxBytes) {
        done = true;
        response.destroy();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    response.once("end", () => {
      if (done) return;
      done = true;
      resolvePromise(Buffer.concat(chunks, total).toString("utf8"));
    });
    response.once("error", (err) => {
      if (done) return;
      done = true;
      reject(err);
    });
    response.once("close", () => {
      if (done) return;
      done = true;
      reject(new EgressError("connection closed before the response was complete"));
    });
  });
}
