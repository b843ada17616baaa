/**
 * The plain servers actiond is compared with (run by bench/server-process.ts): each answers
 * the very bytes actiond answered, which the bench fetched from actiond first and wrote to a
 * file. So a ratio says what actiond's work costs (auth, validation, the store, its
 * protocol handling), not what a different answer would.
 */
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import * as grpc from "@grpc/grpc-js";

export interface Started {
  info: Record<string, unknown>;
  close(): Promise<void>;
}

/** One answer of the node:http baseline, matched on method, path and the request's content-type. */
export interface CannedAnswer {
  method: string;
  path: string;
  /** The request's content-type; "" for a request without a body. */
  requestType: string;
  status: number;
  contentType: string;
  bodyBase64: string;
}

export const getActionPath = "/zitadel.management.v1.ManagementService/GetAction";

const identity = (b: Buffer) => b;

/** A plain grpc-js Server whose GetAction answers the message bytes in `file` (serializers are identity on Buffers). */
export async function startGrpcBytes(file: string): Promise<Started> {
  const answer = fs.readFileSync(file);
  const server = new grpc.Server();
  const method: grpc.MethodDefinition<Buffer, Buffer> = {
    path: getActionPath,
    requestStream: false,
    responseStream: false,
    requestSerialize: identity,
    requestDeserialize: identity,
    responseSerialize: identity,
    responseDeserialize: identity,
  };
  const handler: grpc.handleUnaryCall<Buffer, Buffer> = (_call, callback) => callback(null, answer);
  server.addService({ GetAction: method }, { GetAction: handler });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  return { info: { port }, close: async () => server.forceShutdown() };
}

/** A plain node:http server answering each request the canned answer in `file` (a JSON array of CannedAnswer); 404 otherwise. */
export async function startHttpBytes(file: string): Promise<Started> {
  const answers = new Map<string, { status: number; headers: http.OutgoingHttpHeaders; body: Buffer }>();
  for (const a of JSON.parse(fs.readFileSync(file, "utf8")) as CannedAnswer[]) {
    const body = Buffer.from(a.bodyBase64, "base64");
    answers.set(`${a.method} ${a.path} ${a.requestType}`, { status: a.status, headers: { "content-type": a.contentType, "content-length": body.length }, body });
  }
  const server = http.createServer((req, res) => {
    // The body is read to its end, as actiond reads it, before the answer.
    req.resume();
    req.once("end", () => {
      const a = answers.get(`${req.method} ${req.url} ${req.headers["content-type"] ?? ""}`);
      if (!a) res.writeHead(404).end();
      else res.writeHead(a.status, a.headers).end(a.body);
    });
  });
  // Like actiond's, a keep-alive connection stays open between the bench's runs.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    info: { port: (server.address() as AddressInfo).port },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
