import path from "node:path";
import { parseArgs } from "node:util";
import { zitadelOrgClaim, zitadelRolesClaim } from "./auth/oidc/index.js";

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  /** Largest accepted request message (and REST body), in bytes. */
  maxMessageBytes: number;
  /** Origins allowed to call from a browser; "*" allows any. */
  corsOrigins: string[];
  /** How long in-flight calls may take to finish after SIGTERM/SIGINT. */
  shutdownGraceMs: number;
  logLevel: "debug" | "info" | "warn" | "error";
  /** Accept JWT access tokens from this OIDC issuer, besides service tokens. */
  oidc?: { issuer: string; audience?: string; orgClaim: string; rolesClaim: string };
}

type Env = Record<string, string | undefined>;

/** The options table of the README: flag, environment variable, default. */
const options = {
  listen: { env: "ACTIOND_LISTEN", default: "127.0.0.1:8080" },
  "data-dir": { env: "ACTIOND_DATA_DIR", default: "./data" },
  "max-message-bytes": { env: "ACTIOND_MAX_MESSAGE_BYTES", default: String(4 * 1024 * 1024) },
  "cors-origins": { env: "ACTIOND_CORS_ORIGINS", default: "*" },
  "shutdown-grace-ms": { env: "ACTIOND_SHUTDOWN_GRACE_MS", default: "10000" },
  "log-level": { env: "ACTIOND_LOG_LEVEL", default: "info" },
  "oidc-issuer": { env: "ACTIOND_OIDC_ISSUER", default: "" },
  "oidc-audience": { env: "ACTIOND_OIDC_AUDIENCE", default: "" },
  "oidc-org-claim": { env: "ACTIOND_OIDC_ORG_CLAIM", default: zitadelOrgClaim },
  "oidc-roles-claim": { env: "ACTIOND_OIDC_ROLES_CLAIM", default: zitadelRolesClaim },
} as const;

export const usage = `Usage: actiond [serve] [options]

Options (each also read from its environment variable):
${Object.entries(options)
  .map(([flag, o]) => `  --${flag.padEnd(20)} ${o.env.padEnd(28)} default ${o.default}`)
  .join("\n")}
  --help`;

/** Parses flags over environment variables over defaults; throws a readable Error on bad input. */
export function loadConfig(argv: string[], env: Env): Config & { help: boolean } {
  const { values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      help: { type: "boolean" },
      ...Object.fromEntries(Object.keys(options).map((k) => [k, { type: "string" as const }])),
    },
  });
  const flags = values as Record<string, string | boolean | undefined>;
  const get = (name: keyof typeof options): string =>
    (flags[name] as string | undefined) ?? env[options[name].env] ?? options[name].default;

  const { host, port } = parseListen(get("listen"));
  const logLevel = get("log-level");
  if (!["debug", "info", "warn", "error"].includes(logLevel)) throw new Error(`--log-level: unknown level "${logLevel}"`);
  return {
    help: values.help === true,
    host,
    port,
    dataDir: path.resolve(get("data-dir")),
    maxMessageBytes: positiveInt("max-message-bytes", get("max-message-bytes")),
    corsOrigins: get("cors-origins")
      .split(",")
      .map((o) => o.trim())
      .filter(Boolean),
    shutdownGraceMs: positiveInt("shutdown-grace-ms", get("shutdown-grace-ms")),
    logLevel: logLevel as Config["logLevel"],
    oidc: oidcConfig(get("oidc-issuer"), get("oidc-audience"), get("oidc-org-claim"), get("oidc-roles-claim")),
  };
}

function oidcConfig(issuer: string, audience: string, orgClaim: string, rolesClaim: string): Config["oidc"] {
  if (!issuer) return undefined;
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw new Error(`--oidc-issuer: not a URL: "${issuer}"`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new Error(`--oidc-issuer: expected an http(s) URL, got "${issuer}"`);
  return { issuer, audience: audience || undefined, orgClaim, rolesClaim };
}

function parseListen(value: string): { host: string; port: number } {
  const m = /^\[?([^\]]*?)\]?:(\d{1,5})$/.exec(value);
  const port = m ? Number(m[2]) : NaN;
  if (!m || !m[1] || port > 65535) throw new Error(`--listen: expected host:port, got "${value}"`);
  return { host: m[1], port };
}

function positiveInt(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`--${name}: expected a positive integer, got "${value}"`);
  return n;
}
