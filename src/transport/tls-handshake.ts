import type net from "node:net";
import tls from "node:tls";

/** Protocols offered by ALPN, preferred first. */
const alpnProtocols = ["h2", "http/1.1"];

/** What the one port needs of TLS: a handshake on each TCP socket it admitted. */
export interface TlsHandshake {
  /**
   * Shakes hands on `socket`; `secured` gets the TLS socket on it once that is
   * done, its `alpnProtocol` set. A failed handshake destroys the socket. A
   * stalled one is the caller's to time out: destroying `socket` ends it.
   */
  accept(socket: net.Socket, secured: (socket: tls.TLSSocket) => void): void;
}

export interface SwappableTlsHandshake extends TlsHandshake {
  /** Later handshakes use this pair; connections already made keep theirs. */
  setCredentials(credentials: { cert: Buffer; key: Buffer }): void;
}

/**
 * TLS for sockets the one port accepted itself. A `tls.Server` that never
 * listens is given each socket through its "connection" event, and sets the
 * TLS socket up as `https` does: a bare `new tls.TLSSocket` on the server side
 * keeps `secureConnecting` set after the handshake (http2 then never starts
 * its session) and routes errors to an internal event. `setSecureContext`
 * changes the certificate for the handshakes that follow only.
 */
export function createTlsHandshake(credentials: { cert: Buffer; key: Buffer }): SwappableTlsHandshake {
  const server = tls.createServer({ cert: credentials.cert, key: credentials.key, ALPNProtocols: alpnProtocols });
  // The server hands out the TLS socket alone, not the TCP socket beneath it;
  // the addresses of both ends name that TCP connection among the open ones.
  const waiting = new Map<string, (socket: tls.TLSSocket) => void>();
  server.on("secureConnection", (socket: tls.TLSSocket) => {
    const key = addressesOf(socket);
    const secured = waiting.get(key);
    waiting.delete(key);
    if (secured) secured(socket);
    else socket.destroy();
  });
  // Not a TLS client, a bad certificate on its side, a reset: nothing to answer.
  server.on("tlsClientError", (_err: Error, socket: tls.TLSSocket) => socket.destroy());

  return {
    accept(socket, secured) {
      if (socket.remoteAddress === undefined) return void socket.destroy(); // already gone
      const key = addressesOf(socket);
      const entry = (tlsSocket: tls.TLSSocket) => secured(tlsSocket);
      waiting.set(key, entry);
      socket.once("close", () => {
        if (waiting.get(key) === entry) waiting.delete(key);
      });
      server.emit("connection", socket);
    },
    setCredentials({ cert, key }) {
      server.setSecureContext({ cert, key });
    },
  };
}

function addressesOf(socket: net.Socket): string {
  return `${socket.remoteAddress}|${socket.remotePort}|${socket.localAddress}|${socket.localPort}`;
}
