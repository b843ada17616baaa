import type { IncomingHttpHeaders } from "node:http";

const metadataPrefix = "grpc-metadata-";

/**
 * The request headers a handler sees. As in ZITADEL's gateway, credentials,
 * the language and the `x-` headers (`x-zitadel-orgid` among them) pass
 * unchanged, and grpc-gateway's `Grpc-Metadata-<name>` arrives as `<name>`;
 * hop-by-hop and content headers describe the HTTP exchange, not the call, and
 * stay behind.
 */
export function forwardedHeaders(incoming: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined) continue;
    let key: string | undefined;
    if (name === "authorization" || name === "accept-language" || name.startsWith("x-")) key = name;
    else if (name.startsWith(metadataPrefix) && name.length > metadataPrefix.length) key = name.slice(metadataPrefix.length);
    if (key === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(key, v);
  }
  return headers;
}

/** Response metadata set by the handler, as grpc-gateway writes it: `Grpc-Metadata-<name>`. */
export function metadataToHttp(...sources: Headers[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const source of sources) source.forEach((value, key) => (out["Grpc-Metadata-" + key] = value));
  return out;
}
