import type { JsonValue } from "@bufbuild/protobuf";
import type { ConnectNodeAdapterOptions } from "@connectrpc/connect-node";
import type { ServerResponse } from "node:http";
import type { Http2ServerResponse } from "node:http2";

/**
 * Both Node response types, plus connect-node's variant of them (its `write`
 * differs), so that the gateway is assignable to `fallback` as it is.
 */
export type Res = ServerResponse | Http2ServerResponse | Parameters<NonNullable<ConnectNodeAdapterOptions["fallback"]>>[1];

/** The part of both response types used here; their overloads do not unify. */
interface Writable {
  readonly headersSent: boolean;
  readonly writableEnded: boolean;
  /** Only on HTTP/1.1; an h2 response reports a closed stream through writableEnded or by throwing. */
  readonly destroyed?: boolean;
  writeHead(status: number, headers: Record<string, string | number>): unknown;
  end(chunk: string): unknown;
  destroy(): unknown;
}

/**
 * Writes a complete JSON response, unless the client is gone or something has
 * already been sent (headers cannot be taken back).
 */
export function writeJson(res: Res, status: number, body: JsonValue, headers: Record<string, string> = {}): void {
  const out = res as unknown as Writable;
  if (out.headersSent || out.writableEnded || out.destroyed) return;
  const text = JSON.stringify(body);
  try {
    out.writeHead(status, { ...headers, "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
    out.end(text);
  } catch {
    // Closed under us (h2 reset, socket gone) or unwritable: end this exchange rather than leave the client hanging.
    out.destroy();
  }
}
