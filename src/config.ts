import path from "node:path";
import { parseArgs } from "node:util";
import { type ServeOptionName, serveOptions as options } from "./config-options.js";
import { parseDuration } from "./duration.js";
import type { ConnectionLimits } from "./transport/limits.js";
import type { TlsFiles } from "./transport/tls-context.js";

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  /** A PostgreSQL URL (docs/storage.md); unset: the SQLite file in the data dir. */
  database?: string;
  /** PostgreSQL connections one node keeps at most. */
  databasePoolSize: number;
  /** The key that seals secrets at rest (store/secret-box.ts), outside the database; unset: in the data dir. */
  secretsKeyFile?: string;
  /** Largest accepted request message (and REST body), in bytes. */
  maxMessageBytes: number;
  /** Request body bytes held in memory across the process at most. */
  requestBufferBytes: number;
  /** PEM files: set, the one port serves TLS (docs/transport.md, TLS); unset, cleartext. */
  tls?: TlsFiles;
  /** Connections, their timeouts and HTTP/2 streams (docs/transport.md, Limits). */
  connections: ConnectionLimits;
  /** Origins allowed to call from a browser; "*" allows any. */
  corsOrigins: string[];
  /** How long in-flight calls may take to finish after SIGTERM/SIGINT. */
  shutdownGraceMs: number;
  logLevel: "debug" | "info" | "warn" | "error";
  execution: ExecutionConfig;
  /** Accept JWT access tokens from this OIDC issuer, besides service tokens. */
  oidc?: { issuer: string; audience?: string; orgClaim: string; rolesClaim: string };
  /** The OIDC client the web console signs in with through `oidc.issuer` (docs/console.md); unset: tokens are pasted. */
  consoleClientId?: string;
  zitadelTarget: ZitadelTargetConfig;
}

/** The endpoint ZITADEL Actions v2 calls (docs/zitadel-v2-target.md, The endpoint). */
export interface ZitadelTargetConfig {
  /** Largest body a call may have; at most `requestBufferBytes`. */
  maxBodyBytes: number;
  /** Oldest ZITADEL-Signature timestamp accepted, in seconds. */
  signatureToleranceSeconds: number;
}

export interface ExecutionConfig {
  /** Worker threads running actions. */
  workers: number;
  /** Time budget of one trigger invocation, all its actions together. */
  triggerBudgetMs: number;
  /** Runs of one org executing at once; more wait their turn. */
  orgConcurrency: number;
  /** Runs of one org waiting at once; more are ResourceExhausted. */
  orgQueue: number;
  retentionMs: number;
  retentionMaxPerOrg: number;
  /** Cap on the changes and logs of one execution; at most half of `maxMessageBytes`, so a record fits one message on every protocol. */
  resultsMaxBytes: number;
  /** Extra hosts, IPs or CIDRs scripts may fetch from although they are private or loopback. */
  httpAllow: string[];
  /** Hosts, IPs or CIDRs scripts may never fetch from. */
  httpDeny: string[];
}

type Env = Record<string, string | undefined>;

/** Half the workers, at least 1: below the worker count whenever there are two or more. */
const defaultOrgConcurrency = (workers: number) => Math.max(1, Math.floor(workers / 2));

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
  const get = (name: ServeOptionName): string =>
    (flags[name] as string | undefined) ?? env[options[name].env] ?? options[name].default;

  const { host, port } = parseListen(get("listen"));
  const maxMessageBytes = positiveInt("max-message-bytes", get("max-message-bytes"));
  const logLevel = get("log-level");
  const workers = positiveInt("workers", get("workers"));
  const zitadelTarget = zitadelTargetConfig(get);
  if (!["debug", "info", "warn", "error"].includes(logLevel)) throw new Error(`--log-level: unknown level "${logLevel}"`);
  return {
    help: values.help === true,
    host,
    port,
    dataDir: path.resolve(get("data-dir")),
    database: parseDatabaseUrl(get("database")),
    databasePoolSize: positiveInt("database-pool-size", get("database-pool-size")),
    secretsKeyFile: get("secrets-key-file") ? path.resolve(get("secrets-key-file")) : undefined,
    maxMessageBytes,
    requestBufferBytes: requestBufferBytes(get("request-buffer-bytes"), maxMessageBytes, zitadelTarget.maxBodyBytes),
    tls: tlsFiles(get("tls-cert"), get("tls-key")),
    connections: connectionLimits(get),
    corsOrigins: list(get("cors-origins")),
    shutdownGraceMs: positiveInt("shutdown-grace-ms", get("shutdown-grace-ms")),
    logLevel: logLevel as Config["logLevel"],
    execution: {
      workers,
      triggerBudgetMs: positiveInt("trigger-budget-ms", get("trigger-budget-ms")),
      orgConcurrency: positiveInt("org-concurrency", get("org-concurrency") || String(defaultOrgConcurrency(workers))),
      orgQueue: positiveInt("org-queue", get("org-queue")),
      retentionMs: duration("execution-retention", get("execution-retention")),
      retentionMaxPerOrg: positiveInt("execution-max-per-org", get("execution-max-per-org")),
      resultsMaxBytes: resultsMaxBytes(get("execution-results-max-bytes"), maxMessageBytes),
      httpAllow: list(get("http-allow")),
      httpDeny: list(get("http-deny")),
    },
    oidc: oidcConfig(get("oidc-issuer"), get("oidc-audience"), get("oidc-org-claim"), get("oidc-roles-claim")),
    consoleClientId: consoleClientId(get("console-client-id"), get("oidc-issuer")),
    zitadelTarget,
  };
}

/** "" and `sqlite:` mean the embedded SQLite file; otherwise a postgres:// or postgresql:// URL. The CLI reads its flag with this too. */
export function parseDatabaseUrl(value: string): string | undefined {
  if (value === "" || value === "sqlite:") return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error("--database: not a URL; give postgres://user:password@host:port/database, or sqlite: for the data dir's file");
  }
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") {
    throw new Error(`--database: unknown scheme "${url.protocol}"; actiond speaks sqlite: and postgres://`);
  }
  return value;
}

/** Every body the server takes must fit the bytes it may hold: a message, and a ZITADEL target's call. */
function requestBufferBytes(value: string, maxMessageBytes: number, zitadelBodyBytes: number): number {
  const bytes = atLeast("request-buffer-bytes", positiveInt("request-buffer-bytes", value), "--max-message-bytes", maxMessageBytes);
  return atLeast("request-buffer-bytes", bytes, "--zitadel-target-max-body-bytes", zitadelBodyBytes);
}

function zitadelTargetConfig(get: (name: ServeOptionName) => string): ZitadelTargetConfig {
  return {
    maxBodyBytes: positiveInt("zitadel-target-max-body-bytes", get("zitadel-target-max-body-bytes")),
    // parseDuration's units are whole seconds and more, so this is exact.
    signatureToleranceSeconds: duration("zitadel-signature-tolerance", get("zitadel-signature-tolerance")) / 1000,
  };
}

/** Both files or neither: a certificate without its key (or the reverse) is a mistake, not a request for cleartext. */
function tlsFiles(certFile: string, keyFile: string): TlsFiles | undefined {
  if (!certFile && !keyFile) return undefined;
  if (!keyFile) throw new Error("--tls-cert and --tls-key go together: --tls-key is missing");
  if (!certFile) throw new Error("--tls-cert and --tls-key go together: --tls-cert is missing");
  return { certFile: path.resolve(certFile), keyFile: path.resolve(keyFile) };
}

function connectionLimits(get: (name: ServeOptionName) => string): ConnectionLimits {
  const headersTimeoutMs = positiveInt("headers-timeout-ms", get("headers-timeout-ms"));
  return {
    maxConnections: positiveInt("max-connections", get("max-connections")),
    firstBytesTimeoutMs: positiveInt("first-bytes-timeout-ms", get("first-bytes-timeout-ms")),
    idleTimeoutMs: positiveInt("idle-timeout-ms", get("idle-timeout-ms")),
    headersTimeoutMs,
    // Node's http server refuses a headers timeout longer than the request timeout.
    requestTimeoutMs: atLeast("request-timeout-ms", positiveInt("request-timeout-ms", get("request-timeout-ms")), "--headers-timeout-ms", headersTimeoutMs),
    maxStreamsPerSession: positiveInt("max-streams-per-session", get("max-streams-per-session")),
  };
}

function atLeast(name: string, value: number, otherName: string, other: number): number {
  if (value < other) throw new Error(`--${name}: must be at least ${otherName} (${other}), got ${value}`);
  return value;
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

/** The console signs in through the issuer the server trusts: a client id alone would lead nowhere. */
function consoleClientId(clientId: string, issuer: string): string | undefined {
  if (!clientId) return undefined;
  if (!issuer) throw new Error("--console-client-id: needs --oidc-issuer, the issuer the console signs in through");
  return clientId;
}

function parseListen(value: string): { host: string; port: number } {
  const m = /^\[?([^\]]*?)\]?:(\d{1,5})$/.exec(value);
  const port = m ? Number(m[2]) : NaN;
  if (!m || !m[1] || port > 65535) throw new Error(`--listen: expected host:port, got "${value}"`);
  return { host: m[1], port };
}

function list(value: string): string[] {
  return value
    .split(",")
    .map((v) => v.trim())
    .filter(Boolean);
}

function duration(name: string, value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined) throw new Error(`--${name}: expected a duration like 7d or 12h, got "${value}"`);
  return ms;
}

/**
 * A record's protobuf encoding stays under this cap plus a little per run; its
 * JSON (Connect, REST) can take up to six times as much for escaped control
 * characters. Half a message keeps both within what clients read by default
 * and the server writes (docs/sandbox.md, Results). Unset, it is 1 MiB, or
 * half a message when messages are smaller.
 */
function resultsMaxBytes(value: string, maxMessageBytes: number): number {
  if (value === "") return Math.min(1024 * 1024, Math.floor(maxMessageBytes / 2));
  const n = positiveInt("execution-results-max-bytes", value);
  if (n > maxMessageBytes / 2) {
    const half = `half of --max-message-bytes (${maxMessageBytes})`;
    throw new Error(`--execution-results-max-bytes: ${n} is more than ${half}; a record must fit in one message`);
  }
  return n;
}

function positiveInt(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`--${name}: expected a positive integer, got "${value}"`);
  return n;
}
