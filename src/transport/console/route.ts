import { discardUnreadBody } from "../early-answer.js";
import { headerValue, type NodeRequest, type NodeResponse, requestPath } from "../node-http.js";
import { consoleConfigFile, consoleConfigName } from "./console-config.js";
import { type ConsoleFile, readConsoleFiles } from "./console-files.js";
import { consoleCsp } from "./content-security-policy.js";

/** Where the console lives; `/` sends browsers there. */
export const consolePath = "/console/";

export interface ConsoleRouteOptions {
  /** The built console (Vite's output, dist/console). */
  dir: string;
  /** Where the console signs in, if not with a pasted token only: the issuer's origin joins the CSP's connect-src. */
  oidc?: { issuer: string; clientId: string };
}

/**
 * `GET` and `HEAD` of `/`, which redirects to the console, and of
 * `/console/*`: the built files, and index.html for any other path below,
 * where the console's router takes over (a page's URL can be bookmarked and
 * reloaded). For anyone: no guard claims these paths, and the files hold
 * nothing a token guards; the console calls the API with the user's token.
 * Returns false for any other path.
 */
export function createConsoleRoute(options: ConsoleRouteOptions): (req: NodeRequest, res: NodeResponse) => boolean {
  const csp = consoleCsp(options.oidc?.issuer);
  const config = consoleConfigFile(options);
  let files: Map<string, ConsoleFile> | undefined;
  return (req, res) => {
    const path = requestPath(req);
    if (path === "/" || path === "/console") {
      // Other methods on `/` fall through to the API's own 404 or 405.
      if (path === "/" && req.method !== "GET" && req.method !== "HEAD") return false;
      res.writeHead(302, { Location: consolePath, "Content-Length": 0 });
      res.end();
    } else if (path.startsWith(consolePath)) {
      files ??= readConsoleFiles(options.dir);
      const name = path.slice(consolePath.length);
      answer(req, res, name === consoleConfigName ? config : pick(files, name), files !== undefined, csp);
    } else {
      return false;
    }
    // Nothing here reads a body: one sent anyway is dropped as after any early answer, within the same allowance.
    discardUnreadBody(req);
    return true;
  };
}

function answer(req: NodeRequest, res: NodeResponse, file: ConsoleFile | undefined, built: boolean, csp: string): void {
  if (req.method !== "GET" && req.method !== "HEAD") return plain(res, 405, "Method Not Allowed", { Allow: "GET, HEAD" });
  if (!built) return plain(res, 404, "The console is not built: run npm run build.");
  if (!file) return plain(res, 404, "Not Found");
  const headers: Record<string, string> = {
    "Content-Security-Policy": csp,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": file.immutable ? "public, max-age=31536000, immutable" : "no-cache",
    ETag: file.etag,
    Vary: "Accept-Encoding",
  };
  if (headerValue(req, "if-none-match")?.split(",").some((tag) => tag.trim().replace(/^W\//, "") === file.etag)) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  const gzip = file.gzipped && /\bgzip\b/.test(headerValue(req, "accept-encoding") ?? "");
  const body = gzip ? file.gzipped! : file.body;
  res.writeHead(200, { ...headers, "Content-Type": file.type, "Content-Length": body.length, ...(gzip && { "Content-Encoding": "gzip" }) });
  if (req.method === "HEAD") res.end();
  else res.end(body);
}

/**
 * The file a path names, or index.html for a page's URL. Names are looked up
 * in the map of built files, never joined onto a folder, so `..` reaches
 * nothing. A missing asset is a 404, not the page: a script tag must not get
 * HTML.
 */
function pick(files: Map<string, ConsoleFile> | undefined, name: string): ConsoleFile | undefined {
  if (!files) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(name);
  } catch {
    return undefined;
  }
  const file = files.get(decoded);
  if (file) return file;
  if (decoded.startsWith("assets/") || /\.[a-z0-9]+$/i.test(decoded)) return undefined;
  return files.get("index.html");
}

function plain(res: NodeResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...headers, "Content-Type": "text/plain; charset=utf-8", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}
