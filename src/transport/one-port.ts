import http from "node:http";
import http2 from "node:http2";
import net from "node:net";
import type { NodeListener } from "./node-http.js";

export interface OnePortServer {
  listen(host: string, port: number): Promise<net.AddressInfo>;
  /** Stops accepting, lets in-flight requests finish (up to graceMs), then closes every connection. */
  close(graceMs: number): Promise<void>;
}

const h2Preface = Buffer.from("PRI * HTTP/2.0");

/**
 * One TCP port for HTTP/1.1 and cleartext HTTP/2 (prior knowledge). Node 20
 * ignores `allowHTTP1` without TLS, so each connection's first bytes decide:
 * the HTTP/2 preface goes to the http2 server, anything else to the http one.
 */
export function createOnePortServer(listener: NodeListener, opts: { maxConcurrentStreams: number }): OnePortServer {
  const h1 = http.createServer({ keepAliveTimeout: 65_000 }, listener);
  const h2 = http2.createServer({ settings: { maxConcurrentStreams: opts.maxConcurrentStreams } }, listener);
  const sockets = new Set<net.Socket>();
  const sessions = new Set<http2.Http2Session>();
  /** Connected, but their first bytes have not arrived yet. */
  const undecided = new Set<net.Socket>();
  let closing = false;
  h2.on("session", (session) => {
    if (closing) session.close();
    sessions.add(session);
    session.once("close", () => sessions.delete(session));
  });

  // No Nagle delay, as Node's own http server does: RPC answers are small writes.
  const tcp = net.createServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    undecided.add(socket);
    socket.once("close", () => {
      sockets.delete(socket);
      undecided.delete(socket);
    });
    socket.once("data", (chunk: Buffer) => {
      undecided.delete(socket);
      socket.pause();
      socket.unshift(chunk);
      const prefix = chunk.subarray(0, Math.min(chunk.length, h2Preface.length));
      if (prefix.equals(h2Preface.subarray(0, prefix.length)) && prefix.length >= 3) {
        h2.emit("connection", socket);
      } else {
        h1.emit("connection", socket);
        socket.resume();
      }
    });
    socket.on("error", () => socket.destroy());
  });

  return {
    listen(host, port) {
      return new Promise((resolve, reject) => {
        tcp.once("error", reject);
        tcp.listen(port, host, () => {
          tcp.off("error", reject);
          // The http server never listens itself; this starts its connection
          // tracking, which idle-connection closing and header/request
          // timeouts (slowloris protection) depend on.
          h1.emit("listening");
          resolve(tcp.address() as net.AddressInfo);
        });
      });
    },
    async close(graceMs) {
      closing = true;
      // Nothing was asked on these yet: nothing in flight to let finish.
      for (const socket of undecided) socket.destroy();
      const closed = new Promise<void>((resolve) => tcp.close(() => resolve()));
      h1.close(() => {}); // not listening, so it only stops tracking and closes idle connections
      for (const session of sessions) session.close(); // GOAWAY: no new streams, in-flight ones finish
      const timer = setTimeout(() => {
        for (const socket of sockets) socket.destroy();
      }, graceMs);
      const drain = setInterval(() => h1.closeIdleConnections(), 50);
      await closed;
      clearTimeout(timer);
      clearInterval(drain);
    },
  };
}
