import type net from "node:net";

/** One accepted connection, as the cap sees it. */
export interface Connection {
  readonly socket: net.Socket;
  /** Requests (HTTP/1.1) or streams (HTTP/2) in flight. */
  inFlight: number;
  /** Closes an idle connection when its idle time is over; unset where Node does it (HTTP/1.1 keep-alive). */
  closeIdle?: () => void;
  idleTimer?: NodeJS.Timeout;
}

export interface ConnectionTable {
  /**
   * Takes a new connection in. At the cap it closes the connection that has
   * waited longest without work (one that never sent a byte first, then the
   * longest idle) to make room; when every connection is busy it refuses the
   * new one, which is then closed. Undefined when refused.
   */
  admit(socket: net.Socket): Connection | undefined;
  /** The first bytes arrived: the connection is now idle, and `closeIdle` (if any) runs after the idle timeout. */
  decided(conn: Connection, closeIdle?: () => void): void;
  /** A request or stream began on it. */
  started(conn: Connection): void;
  /** A request or stream ended on it. */
  ended(conn: Connection): void;
  /** It closed. */
  remove(conn: Connection): void;
  /** Connections that have not sent a byte yet. */
  undecided(): Connection[];
  all(): Connection[];
  readonly size: number;
  /** Requests and streams in flight on all connections. */
  readonly inFlight: number;
}

/**
 * Open connections with their state, kept so that at the cap the idle ones go
 * first and callers with work keep being served. Sets keep insertion order,
 * so the oldest candidate is always the first one: admitting is O(1) however
 * many connections are open.
 */
export function createConnectionTable(opts: { maxConnections: number; idleTimeoutMs: number }): ConnectionTable {
  const all = new Set<Connection>();
  const silent = new Set<Connection>(); // connected, no first bytes yet, oldest first
  const idle = new Set<Connection>(); // decided, nothing in flight, longest idle first
  let inFlight = 0;

  const becameIdle = (conn: Connection) => {
    idle.add(conn);
    if (conn.closeIdle) conn.idleTimer = setTimeout(conn.closeIdle, opts.idleTimeoutMs).unref();
  };
  const evictOne = (): boolean => {
    const victim = first(silent) ?? first(idle);
    if (!victim) return false;
    forget(victim);
    victim.socket.destroy();
    return true;
  };
  const forget = (conn: Connection) => {
    all.delete(conn);
    silent.delete(conn);
    idle.delete(conn);
    clearTimeout(conn.idleTimer);
  };

  return {
    admit(socket) {
      if (all.size >= opts.maxConnections && !evictOne()) return undefined;
      const conn: Connection = { socket, inFlight: 0 };
      all.add(conn);
      silent.add(conn);
      return conn;
    },
    decided(conn, closeIdle) {
      if (!silent.delete(conn)) return;
      conn.closeIdle = closeIdle;
      if (conn.inFlight === 0) becameIdle(conn);
    },
    started(conn) {
      inFlight++;
      if (conn.inFlight++ > 0) return;
      idle.delete(conn);
      clearTimeout(conn.idleTimer);
    },
    ended(conn) {
      inFlight--;
      if (--conn.inFlight === 0 && all.has(conn)) becameIdle(conn);
    },
    remove: forget,
    undecided: () => [...silent],
    all: () => [...all],
    get size() {
      return all.size;
    },
    get inFlight() {
      return inFlight;
    },
  };
}

function first<T>(set: Set<T>): T | undefined {
  for (const item of set) return item;
  return undefined;
}
