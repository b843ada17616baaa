import { createHash } from "node:crypto";
import type { ConsoleFile } from "./console-files.js";
import type { ConsoleRouteOptions } from "./route.js";

/** The console reads how to sign in from here: a file, not an inline script, which its CSP forbids. */
export const consoleConfigName = "config.json";

/** What the console learns from the server's flags: the issuer and client to sign in with, if any. */
export function consoleConfigFile(options: ConsoleRouteOptions): ConsoleFile {
  const body = Buffer.from(JSON.stringify(options.oidc ? { oidc: options.oidc } : {}));
  return {
    body,
    type: "application/json",
    etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`,
    immutable: false,
  };
}
