import type { JsonValue } from "@bufbuild/protobuf";
import type { NodeResponse } from "../node-http.js";

/**
 * Writes a complete JSON response, unless the client is gone or something has
 * already been sent (headers cannot be taken back).
 */
export function writeJson(res: NodeResponse, status: number, body: JsonValue, headers: Record<string, string> = {}): void {
  // `destroyed` is set only on HTTP/1.1; an h2 response reports a closed stream through writableEnded or by throwing.
  if (res.headersSent || res.writableEnded || res.destroyed) return;
  const text = JSON.stringify(body);
  try {
    res.writeHead(status, { ...headers, "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
    res.end(text);
  } catch {
    // Closed under us (h2 reset, socket gone) or unwritable: end this exchange rather than leave the client hanging.
    res.destroy();
  }
}
