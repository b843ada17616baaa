import { createHash } from "node:crypto";
import { Code } from "@connectrpc/connect";
import { discardUnreadBody } from "../../early-answer.js";
import type { Binding } from "../http-rule.js";
import { headerValue, type NodeRequest, type NodeResponse, requestPath } from "../../node-http.js";
import { writeJson } from "../write-json.js";
import { packageVersion } from "../../../version.js";
import { buildOpenApiDocument } from "./document.js";

const documentPath = "/openapi.json";

/**
 * The document changes only when the server does, but its URL stays: caches
 * may keep it and must ask again (a 304 against the ETag), so an upgraded
 * server is seen at once.
 */
const cacheControl = "public, no-cache";

interface Rendered {
  body: Buffer;
  etag: string;
}

/**
 * `GET` and `HEAD /openapi.json`, for anyone: no guard claims the path, so the
 * auth gate lets it through, and the document holds nothing a token guards.
 * Built on the first request and kept: most processes are never asked, and
 * the bindings never change. Returns false for any other path.
 */
export function createOpenApiRoute(bindings: readonly Binding[]): (req: NodeRequest, res: NodeResponse) => boolean {
  let rendered: Rendered | undefined;
  return (req, res) => {
    if (requestPath(req) !== documentPath) return false;
    answer(req, res, () => (rendered ??= render(bindings)));
    // Nothing here reads a body: one sent anyway is dropped as after any early answer, within the same allowance.
    discardUnreadBody(req);
    return true;
  };
}

function answer(req: NodeRequest, res: NodeResponse, document: () => Rendered): void {
  if (req.method !== "GET" && req.method !== "HEAD") {
    return writeJson(res, 405, { code: Code.Unimplemented, message: "Method Not Allowed" }, { Allow: "GET, HEAD" });
  }
  const { body, etag } = document();
  const headers = { ETag: etag, "Cache-Control": cacheControl };
  if (matchesEtag(headerValue(req, "if-none-match"), etag)) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  res.writeHead(200, { ...headers, "Content-Type": "application/json", "Content-Length": body.length });
  if (req.method === "HEAD") res.end();
  else res.end(body);
}

function render(bindings: readonly Binding[]): Rendered {
  const body = Buffer.from(JSON.stringify(buildOpenApiDocument(bindings, packageVersion())));
  return { body, etag: `"${createHash("sha256").update(body).digest("base64url")}"` };
}

/** If-None-Match compares weakly (RFC 9110 §13.1.2): a `W/` prefix does not matter, and `*` matches. */
function matchesEtag(header: string | null, etag: string): boolean {
  if (header === null) return false;
  return header.split(",").some((tag) => {
    const t = tag.trim();
    return t === "*" || t.replace(/^W\//, "") === etag;
  });
}
