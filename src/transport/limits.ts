/**
 * What one client can hold of the server: connections, time, streams and
 * memory. Each is a flag (src/config.ts); docs/transport.md, Limits, says why
 * each exists and what a client sees when it is reached.
 */
export interface ConnectionLimits {
  /** Open connections at most. At the cap the longest-idle connection is closed to admit a new one. */
  maxConnections: number;
  /** A connection that sends nothing within this is closed. */
  firstBytesTimeoutMs: number;
  /** An HTTP/1.1 keep-alive, or an HTTP/2 session without an open stream, is closed after this. */
  idleTimeoutMs: number;
  /** The headers of an HTTP/1.1 request must arrive within this. */
  headersTimeoutMs: number;
  /** A whole request, headers and body, must arrive within this; on HTTP/2, each stream on its own. */
  requestTimeoutMs: number;
  /** Concurrent streams one HTTP/2 session may open (SETTINGS_MAX_CONCURRENT_STREAMS). */
  maxStreamsPerSession: number;
}
