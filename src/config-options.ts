import os from "node:os";
import { zitadelOrgClaim, zitadelRolesClaim } from "./auth/oidc/index.js";
import { secretsKeyFileName } from "./store/secrets-key-file.js";
import { defaultMaxConnections, openFileLimit } from "./transport/fd-limit.js";

/**
 * A core is left to the main thread, and there are two workers at least: an
 * org at its cap then leaves a worker to the others (docs/worker-pool.md).
 */
export const defaultWorkers = Math.max(2, os.availableParallelism() - 1);

interface ServeOption {
  env: string;
  /** What the value looks like, for the help. */
  arg: string;
  default: string;
  /** The default as the help tells it, when `default` is computed or empty. */
  shown?: string;
  help: string;
}

/** Every serve flag: its environment variable, default and one sentence for `--help` (and the README's table). */
export const serveOptions = {
  listen: { env: "ACTIOND_LISTEN", arg: "HOST:PORT", default: "127.0.0.1:8080", help: "Address every protocol is served on; port 0 picks a free port, [::1]:8080 an IPv6 one." },
  "data-dir": { env: "ACTIOND_DATA_DIR", arg: "DIR", default: "./data", help: "Directory for the SQLite database, the admin token, the secrets key and the lock; made owner-only." },
  database: {
    env: "ACTIOND_DATABASE_URL",
    arg: "URL",
    default: "",
    shown: "sqlite: (actiond.db in the data dir)",
    help: "postgres://user:password@host:port/db to share one PostgreSQL database between nodes, or sqlite: for the data dir's file.",
  },
  "database-pool-size": { env: "ACTIOND_DATABASE_POOL_SIZE", arg: "N", default: "10", help: "PostgreSQL connections this node keeps open at most." },
  "secrets-key-file": {
    env: "ACTIOND_SECRETS_KEY_FILE",
    arg: "FILE",
    default: "",
    shown: `<data-dir>/${secretsKeyFileName}`,
    help: "Keys that seal secrets at rest, kept outside the database; created (mode 0600) when missing, re-read when it changes (actiond secrets-key). Back it up with the database.",
  },
  "tls-cert": {
    env: "ACTIOND_TLS_CERT",
    arg: "FILE",
    default: "",
    shown: "none (cleartext)",
    help: "PEM certificate chain: with --tls-key, the port serves TLS (h2 and http/1.1 by ALPN); re-read on SIGHUP.",
  },
  "tls-key": { env: "ACTIOND_TLS_KEY", arg: "FILE", default: "", shown: "none (cleartext)", help: "PEM private key of --tls-cert; re-read on SIGHUP." },
  "max-message-bytes": { env: "ACTIOND_MAX_MESSAGE_BYTES", arg: "BYTES", default: String(4 * 1024 * 1024), help: "Largest request message (and REST body) accepted, in bytes." },
  "request-buffer-bytes": {
    env: "ACTIOND_REQUEST_BUFFER_BYTES",
    arg: "BYTES",
    default: String(64 * 1024 * 1024),
    help: "Request body bytes held in memory across all requests at once; more wait or are refused with ResourceExhausted.",
  },
  "max-connections": {
    env: "ACTIOND_MAX_CONNECTIONS",
    arg: "N",
    default: String(defaultMaxConnections(openFileLimit())),
    shown: "half the open-file limit, at most 10000",
    help: "Open connections at most; more are closed at once.",
  },
  "first-bytes-timeout-ms": { env: "ACTIOND_FIRST_BYTES_TIMEOUT_MS", arg: "MS", default: "5000", help: "How long a new connection may take to send its first bytes." },
  "idle-timeout-ms": { env: "ACTIOND_IDLE_TIMEOUT_MS", arg: "MS", default: "65000", help: "How long a connection may stay open with nothing in flight." },
  "headers-timeout-ms": { env: "ACTIOND_HEADERS_TIMEOUT_MS", arg: "MS", default: "10000", help: "How long an HTTP/1.1 request may take to send its headers." },
  "request-timeout-ms": { env: "ACTIOND_REQUEST_TIMEOUT_MS", arg: "MS", default: "30000", help: "How long an HTTP/1.1 request may take to arrive in full; at least --headers-timeout-ms." },
  "max-streams-per-session": { env: "ACTIOND_MAX_STREAMS_PER_SESSION", arg: "N", default: "250", help: "Concurrent HTTP/2 streams one connection may open." },
  "cors-origins": { env: "ACTIOND_CORS_ORIGINS", arg: "LIST", default: "*", help: "Comma-separated origins browsers may call from; * allows any." },
  "shutdown-grace-ms": { env: "ACTIOND_SHUTDOWN_GRACE_MS", arg: "MS", default: "10000", help: "How long in-flight calls may take to finish after SIGTERM or SIGINT before they answer Unavailable." },
  "log-level": { env: "ACTIOND_LOG_LEVEL", arg: "LEVEL", default: "info", help: "Lowest level logged on stderr as JSON lines: debug, info, warn or error." },
  workers: { env: "ACTIOND_WORKERS", arg: "N", default: String(defaultWorkers), shown: "cores − 1, at least 2", help: "Worker threads running actions." },
  "trigger-budget-ms": { env: "ACTIOND_TRIGGER_BUDGET_MS", arg: "MS", default: "30000", help: "Time budget of one trigger invocation, all its actions together." },
  "org-concurrency": { env: "ACTIOND_ORG_CONCURRENCY", arg: "N", default: "", shown: "workers ÷ 2, at least 1", help: "Runs of one org executing at once; more wait their turn." },
  "org-queue": { env: "ACTIOND_ORG_QUEUE", arg: "N", default: "100", help: "Runs of one org waiting at once; more are refused with ResourceExhausted." },
  "execution-retention": { env: "ACTIOND_EXECUTION_RETENTION", arg: "DURATION", default: "7d", help: "How long execution records are kept (e.g. 12h, 7d)." },
  "execution-max-per-org": { env: "ACTIOND_EXECUTION_MAX_PER_ORG", arg: "N", default: "10000", help: "Execution records kept per org at most; the oldest go first." },
  "execution-results-max-bytes": {
    env: "ACTIOND_EXECUTION_RESULTS_MAX_BYTES",
    arg: "BYTES",
    default: "",
    shown: "1 MiB, at most half of --max-message-bytes",
    help: "Cap on the changes and logs of one execution.",
  },
  "http-allow": { env: "ACTIOND_HTTP_ALLOW", arg: "LIST", default: "", help: "Comma-separated private or loopback hosts, IPs or CIDRs scripts may fetch from nonetheless." },
  "http-deny": { env: "ACTIOND_HTTP_DENY", arg: "LIST", default: "", help: "Comma-separated hosts, IPs or CIDRs scripts may never fetch from." },
  "oidc-issuer": { env: "ACTIOND_OIDC_ISSUER", arg: "URL", default: "", help: "Also accept JWT access tokens this OIDC issuer signed (keys from its discovery document)." },
  "oidc-audience": { env: "ACTIOND_OIDC_AUDIENCE", arg: "AUD", default: "", help: "Audience the issuer's tokens must name; unset, any audience is accepted (a warning says so)." },
  "oidc-org-claim": { env: "ACTIOND_OIDC_ORG_CLAIM", arg: "CLAIM", default: zitadelOrgClaim, help: "Claim that names the token's org." },
  "oidc-roles-claim": { env: "ACTIOND_OIDC_ROLES_CLAIM", arg: "CLAIM", default: zitadelRolesClaim, help: "Claim that carries the token's roles." },
  "console-client-id": {
    env: "ACTIOND_CONSOLE_CLIENT_ID",
    arg: "ID",
    default: "",
    help: "OIDC client id (a public client with PKCE, redirect URI <origin>/console/oidc-callback) the web console signs in with through --oidc-issuer.",
  },
  "zitadel-target-max-body-bytes": { env: "ACTIOND_ZITADEL_TARGET_MAX_BODY_BYTES", arg: "BYTES", default: String(256 * 1024), help: "Largest body a call from ZITADEL Actions v2 may have." },
  "zitadel-signature-tolerance": { env: "ACTIOND_ZITADEL_SIGNATURE_TOLERANCE", arg: "DURATION", default: "300s", help: "Oldest ZITADEL-Signature timestamp accepted." },
} satisfies Record<string, ServeOption>;

export type ServeOptionName = keyof typeof serveOptions;

/** `actiond serve --help`: each flag, its variable and default, and what it does. */
export function serveUsage(): string {
  const entries = Object.entries(serveOptions) as [string, ServeOption][];
  const lines = entries.map(([flag, o]) => {
    const shown = o.shown ?? (o.default || "none");
    return `  --${flag} ${o.arg}\n      ${o.help}\n      Env ${o.env}; default ${shown}.`;
  });
  return `Usage: actiond [serve] [options]

Serves every protocol on one port until SIGTERM or SIGINT; SIGHUP re-reads the
TLS certificate. Each option is also read from its environment variable; a flag
wins over the variable.

Options:
${lines.join("\n")}
  --help
      Print this help.
`;
}
