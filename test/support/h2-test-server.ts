import http2 from "node:http2";
import type { AddressInfo } from "node:net";

export interface H2TestServer {
  /** `http://127.0.0.1:<port>`, for connect clients. */
  baseUrl: string;
  /** For clients that take host:port, such as grpc-js. */
  port: number;
  close(): Promise<void>;
}

/**
 * A cleartext HTTP/2 server on a loopback port. `close` destroys the sessions
 * clients still hold open: `server.close` alone waits for every one of them.
 */
export async function startH2TestServer(handler: (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => void): Promise<H2TestServer> {
  const server = http2.createServer(handler);
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on("session", (s) => {
    sessions.add(s);
    s.once("close", () => sessions.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    port,
    async close() {
      for (const s of sessions) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
