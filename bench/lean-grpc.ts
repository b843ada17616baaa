/**
 * A gRPC load generator that costs the client side little: one h2c session,
 * the request encoded once, and only the answer's status and envelope
 * checked. On a 2-core machine a full client (grpc-js decoding every answer)
 * takes about as much CPU as the server it measures; this one takes about
 * half, in the part h2load played in the earlier transport measurements (docs/benchmarks.md). The answer's content
 * is checked once, with a full client, before a run.
 */
import { type DescMessage, type MessageInitShape, create, toBinary } from "@bufbuild/protobuf";
import http2 from "node:http2";
import type { Unary } from "./clients.js";

export function leanUnary<I extends DescMessage>(
  baseUrl: string,
  path: string,
  schema: I,
  init: MessageInitShape<I>,
  headers: Record<string, string> = {},
): Unary {
  const payload = toBinary(schema, create(schema, init));
  const body = Buffer.alloc(5 + payload.length);
  body.writeUInt32BE(payload.length, 1);
  body.set(payload, 5);
  const session = http2.connect(baseUrl);
  session.on("error", () => {}); // each call reports its own failure
  const requestHeaders = { ":method": "POST", ":path": path, "content-type": "application/grpc", te: "trailers", ...headers };
  const call = () =>
    new Promise<void>((resolve, reject) => {
      const stream = session.request(requestHeaders);
      let status: string | undefined;
      let message: string | undefined;
      let received = 0;
      stream.on("response", (h) => {
        status = h["grpc-status"] as string | undefined; // trailers-only answer
        message = h["grpc-message"] as string | undefined;
      });
      stream.on("trailers", (t) => {
        status = t["grpc-status"] as string | undefined;
        message = t["grpc-message"] as string | undefined;
      });
      stream.on("data", (chunk: Buffer) => (received += chunk.length));
      stream.on("error", reject);
      stream.on("end", () => {
        if (status !== "0") reject(new Error(`grpc-status ${status}: ${decodeURIComponent(message ?? "")}`));
        else if (received < 5) reject(new Error("an answer without a message"));
        else resolve();
      });
      stream.end(body);
    });
  return { call, close: () => session.close() };
}
