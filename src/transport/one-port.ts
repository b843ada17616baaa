import http from "node:http";
import http2 from "node:http2";
import net from "node:net";
import { type Connection, createConnectionTable } from "./connection-table.js";
import type { ConnectionLimits } from "./limits.js";
import type { NodeListener } from "./node-http.js";
import type { TlsHandshake } from "./tls-handshake.js";

export interface OnePortServer {
  listen(host: string, port: number): Promise<net.AddressInfo>;
  /**
   * Stops accepting and lets in-flight requests finish for up to `graceMs`.
   * Then `stopInFlight` is called, which must make every call still running
   * answer at once (Unavailable), and after a short flush every connection is
   * closed.
   */
  close(graceMs: number, stopInFlight: () => void): Promise<void>;
  /** Open connections, for tests and logs. */
  readonly connections: number;
  /** Requests (HTTP/1.1) and streams (HTTP/2) in flight. */
  readonly requests: number;
}

const h2Preface = Buffer.from("PRI * HTTP/2.0");
/** How long answers given by `stopInFlight` may take to reach the wire before the sockets go. */
const flushMs = 1_000;
const { NGHTTP2_CANCEL, NGHTTP2_STREAM_STATE_HALF_CLOSED_REMOTE, NGHTTP2_STREAM_STATE_CLOSED } = http2.constants;

/**
 * Node 20 drops an HTTP/2 field whose value starts or ends with whitespace,
 * without a word, where HTTP/1.1 trims it (RFC 9113 §8.2.1 against RFC 9110
 * §5.5). Node 24.2 can be told to deliver it, and then the org header is
 * trimmed like any other (docs/transport.md, The org header). Older versions
 * ignore the option.
 */
const deliverPaddedFields = { strictFieldWhitespaceValidation: false };

/**
 * One TCP port for HTTP/1.1 and cleartext HTTP/2 (prior knowledge). Node 20
 * ignores `allowHTTP1` without TLS, so each connection's first bytes decide:
 * the HTTP/2 preface goes to the http2 server, anything else to the http one.
 * Given `tls`, every connection shakes hands first and ALPN decides instead
 * (docs/transport.md, TLS). Every connection is counted against
 * `maxConnections` and timed (docs/transport.md, Limits).
 */
export function createOnePortServer(listener: NodeListener, limits: ConnectionLimits, tls?: TlsHandshake): OnePortServer {
  const h1 = http.createServer(
    {
      keepAliveTimeout: limits.idleTimeoutMs,
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      // Node checks the two timeouts above on this interval (30 s by default), so it bounds how late they fire.
      connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(limits.headersTimeoutMs / 4))),
    },
    listener,
  );
  const h2 = http2.createServer({ settings: { maxConcurrentStreams: limits.maxStreamsPerSession }, ...deliverPaddedFields }, listener);
  const table = createConnectionTable(limits);
  const connectionOf = new WeakMap<net.Socket, Connection>();
  const sessions = new Set<http2.Http2Session>();
  let closing = false;

  h1.on("request", (req: http.IncomingMessage, res: http.ServerResponse) => {
    const conn = connectionOf.get(req.socket);
    if (!conn) return;
    table.started(conn);
    res.once("close", () => table.ended(conn));
  });

  // Node creates the session synchronously inside emit("connection"), so the
  // connection being handed over is known here.
  let handingOver: Connection | undefined;
  h2.on("session", (session) => {
    const conn = handingOver;
    sessions.add(session);
    session.once("close", () => sessions.delete(session));
    if (closing) session.close();
    if (!conn) return;
    table.decided(conn, () => session.close());
    session.on("stream", (stream: http2.ServerHttp2Stream) => {
      table.started(conn);
      const late = setTimeout(() => {
        if (!requestReceived(stream)) stream.close(NGHTTP2_CANCEL);
      }, limits.requestTimeoutMs);
      stream.once("close", () => {
        clearTimeout(late);
        table.ended(conn);
      });
    });
  });

  /** Hands `socket` to the server of its protocol once its first (decrypted) bytes arrive. */
  const handOverOnFirstBytes = (socket: net.Socket, conn: Connection, silent: NodeJS.Timeout, isH2: (first: Buffer) => boolean) => {
    socket.once("data", (chunk: Buffer) => {
      clearTimeout(silent);
      socket.pause();
      socket.unshift(chunk);
      connectionOf.set(socket, conn);
      if (isH2(chunk)) {
        handingOver = conn;
        h2.emit("connection", socket);
        handingOver = undefined;
      } else {
        table.decided(conn);
        h1.emit("connection", socket);
        socket.resume();
      }
    });
  };

  // No Nagle delay, as Node's own http server does: RPC answers are small writes.
  const tcp = net.createServer({ noDelay: true }, (socket) => {
    socket.on("error", () => socket.destroy());
    const conn = table.admit(socket);
    if (!conn) return socket.destroy();
    // Over TLS it runs until the first decrypted bytes: a handshake that stalls is closed as a silent socket is.
    const silent = setTimeout(() => socket.destroy(), limits.firstBytesTimeoutMs);
    socket.once("close", () => {
      clearTimeout(silent);
      table.remove(conn);
    });
    if (!tls) return handOverOnFirstBytes(socket, conn, silent, startsWithPreface);
    // The table keeps the TCP socket: destroying it closes the TLS socket on it too.
    tls.accept(socket, (secure) => {
      secure.on("error", () => secure.destroy());
      // HTTP/2 over TLS is chosen by ALPN alone (RFC 9113 §3.2): without "h2" it is HTTP/1.1.
      handOverOnFirstBytes(secure, conn, silent, () => secure.alpnProtocol === "h2");
    });
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
    async close(graceMs, stopInFlight) {
      closing = true;
      // Nothing was asked on these yet: nothing in flight to let finish.
      for (const conn of table.undecided()) conn.socket.destroy();
      const closed = new Promise<void>((resolve) => tcp.close(() => resolve()));
      h1.close(() => {}); // not listening, so it only stops tracking and closes idle connections
      for (const session of sessions) session.close(); // GOAWAY: no new streams, in-flight ones finish
      const drain = setInterval(() => h1.closeIdleConnections(), 50);
      let flush: NodeJS.Timeout | undefined;
      const grace = setTimeout(() => {
        stopInFlight();
        flush = setTimeout(() => {
          for (const conn of table.all()) conn.socket.destroy();
        }, flushMs);
      }, graceMs);
      await closed;
      clearTimeout(grace);
      clearTimeout(flush);
      clearInterval(drain);
    },
    get connections() {
      return table.size;
    },
    get requests() {
      return table.inFlight;
    },
  };
}

function startsWithPreface(chunk: Buffer): boolean {
  const prefix = chunk.subarray(0, Math.min(chunk.length, h2Preface.length));
  return prefix.equals(h2Preface.subarray(0, prefix.length)) && prefix.length >= 3;
}

/** The client has sent all of its request (END_STREAM), or the stream is gone. */
function requestReceived(stream: http2.ServerHttp2Stream): boolean {
  if (stream.destroyed) return true;
  const state = stream.state.state;
  return state === NGHTTP2_STREAM_STATE_HALF_CLOSED_REMOTE || state === NGHTTP2_STREAM_STATE_CLOSED;
}
