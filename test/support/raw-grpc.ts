import http2 from "node:http2";

export interface RawGrpcAnswer {
  status: number;
  headers: http2.IncomingHttpHeaders;
  trailers: http2.IncomingHttpHeaders;
  /** grpc-status and grpc-message, from the trailers or a trailers-only answer. */
  grpcStatus?: string;
  grpcMessage?: string;
  body: Buffer;
}

/** One gRPC call over h2c, byte for byte as given: for what well-behaved clients never send. */
export function rawGrpc(baseUrl: string, path: string, body: Buffer, headers: http2.OutgoingHttpHeaders = {}): Promise<RawGrpcAnswer> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(baseUrl);
    session.on("error", reject);
    const req = session.request({ ":method": "POST", ":path": path, "content-type": "application/grpc", te: "trailers", ...headers });
    const answer: RawGrpcAnswer = { status: 0, headers: {}, trailers: {}, body: Buffer.alloc(0) };
    const chunks: Buffer[] = [];
    req.on("response", (h) => {
      answer.status = Number(h[":status"]);
      answer.headers = h;
    });
    req.on("trailers", (t) => (answer.trailers = t));
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      session.close();
      const status = answer.trailers["grpc-status"] ?? answer.headers["grpc-status"];
      const message = answer.trailers["grpc-message"] ?? answer.headers["grpc-message"];
      resolve({ ...answer, grpcStatus: status as string | undefined, grpcMessage: message as string | undefined, body: Buffer.concat(chunks) });
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** A gRPC length-prefixed message; flags 1 marks it compressed. */
export function envelope(payload: Uint8Array, flags = 0): Buffer {
  const head = Buffer.alloc(5);
  head.writeUInt8(flags, 0);
  head.writeUInt32BE(payload.length, 1);
  return Buffer.concat([head, payload]);
}

/** One call with an empty message on an existing session; resolves with its grpc-status. */
export function rawGrpcOn(session: http2.ClientHttp2Session, path: string): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const req = session.request({ ":method": "POST", ":path": path, "content-type": "application/grpc", te: "trailers" });
    let status: string | undefined;
    req.on("response", (h) => (status ??= h["grpc-status"] as string | undefined));
    req.on("trailers", (t) => (status = t["grpc-status"] as string | undefined));
    req.on("data", () => {});
    req.on("end", () => resolve(status));
    req.on("error", reject);
    req.end(envelope(new Uint8Array()));
  });
}
