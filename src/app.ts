import { setMaxListeners } from "node:events";
import { createAuthorizer } from "./auth/authorize.js";
import { bootstrap } from "./auth/bootstrap.js";
import { createOidcVerifier } from "./auth/oidc/index.js";
import { createEgressFetcher } from "./egress/index.js";
import { createWorkerPool } from "./execution/pool/worker-pool.js";
import { createMetrics } from "./metrics/metrics.js";
import { watchDatabase } from "./store/database-watch.js";
import { createExecutionLog, pruneExecutions } from "./store/execution-records.js";
import { redactedDatabaseUrl } from "./store/open-database.js";
import { claimTurn } from "./store/schedule.js";
import { openSecretBox } from "./store/sealed-secrets.js";
import type { LiveSecretBox } from "./store/live-secret-box.js";
import { defaultSecretsKeyFile } from "./store/secrets-key-file.js";
import type { Config } from "./config.js";
import { type DataDir, lockDataDir, openDataDir } from "./data-dir.js";
import type { Logger } from "./logger.js";
import { createRequestListener } from "./server.js";
import { builtConsoleDir } from "./transport/console/index.js";
import { createHealthStatus } from "./transport/health.js";
import { createOnePortServer } from "./transport/one-port.js";
import { serverStopping } from "./transport/signal-race.js";
import { openTlsContext } from "./transport/tls-context.js";

/** Largest response body a script's fetch may receive. */
const fetchResponseBytes = 1024 * 1024;
const pruneEveryMs = 10 * 60_000;
const databasePingEveryMs = 2000;
/** ".js" when running the build (dist/), ".ts" from the sources under tsx or vitest. */
const ownExtension = import.meta.url.endsWith(".ts") ? ".ts" : ".js";

export interface RunningApp {
  /** The address actually bound (port 0 picks a free one). */
  address: { host: string; port: number };
  /** Graceful: stop accepting, finish in-flight calls, close sessions and the database. */
  close(): Promise<void>;
  /** What the server holds now: open connections, requests in flight and request body bytes in memory. */
  load(): { connections: number; requests: number; heldRequestBytes: number };
  /** SIGHUP: re-reads the TLS certificate and key for new connections, and the secrets key file. */
  reload(): void;
}

/** The composition root: opens the store, bootstraps, and serves every protocol on one port. */
export async function startApp(config: Config, log: Logger): Promise<RunningApp> {
  // First: a certificate that does not load stops the start before anything is opened.
  const tls = config.tls && openTlsContext(config.tls, log);
  const lock = lockDataDir(config.dataDir);
  let data: DataDir | undefined;
  let secrets: LiveSecretBox;
  try {
    data = await openDataDir(config.dataDir, { url: config.database, poolSize: config.databasePoolSize }, log);
    secrets = await openSecretBox(data.db, config.secretsKeyFile ?? defaultSecretsKeyFile(config.dataDir), log);
    await bootstrap({ db: data.db, newId: data.commands.newId, dataDir: config.dataDir, log });
  } catch (err) {
    await data?.close();
    lock.release();
    throw err;
  }
  const { tightened, stillOpen } = data.permissions;
  if (tightened.length > 0) log.warn("made data files owner-only (an older actiond left them open to others)", { paths: tightened });
  if (stillOpen.length > 0) log.warn("data files are open to others and could not be made owner-only", { paths: stillOpen });
  const { db, commands, tokens } = data;

  const oidc = config.oidc && { verifier: createOidcVerifier(config.oidc), log };
  if (config.oidc) {
    log.info("accepting OIDC access tokens", { issuer: config.oidc.issuer, audience: config.oidc.audience });
    if (!config.oidc.audience) log.warn("no --oidc-audience: tokens the issuer made for any client are accepted");
  }
  const health = createHealthStatus();
  const metrics = createMetrics();
  const shutdown = new AbortController();
  // Aborted when the grace period is over: calls still running answer Unavailable (transport/signal-race.ts).
  const stop = new AbortController();
  // connect links every in-flight call of the services it is given to: one listener per call is expected.
  setMaxListeners(0, shutdown.signal);
  setMaxListeners(0, stop.signal);
  const { execution } = config;
  const pool = createWorkerPool({
    size: execution.workers,
    entry: new URL(`./runtime/worker-entry${ownExtension}`, import.meta.url),
    fetcher: createEgressFetcher({
      allow: execution.httpAllow,
      deny: execution.httpDeny,
      maxResponseBytes: fetchResponseBytes,
      onRefusal: metrics.egressRefused,
    }),
    maxRunningPerOrg: execution.orgConcurrency,
    maxQueuedPerOrg: execution.orgQueue,
    watchdogGraceMs: 250,
    fetchBufferBytes: fetchResponseBytes * 2 + 64 * 1024,
    metrics,
    log,
  });
  metrics.watchPool(pool.load);
  const records = createExecutionLog(db, log, execution.retentionMaxPerOrg);
  // Every node schedules pruning, and the one that claims the turn does it (store/schedule.ts).
  const prune = async () => {
    try {
      if (!(await claimTurn(db, "prune-executions", pruneEveryMs, Date.now()))) return;
      await records.flush();
      const removed = await pruneExecutions(db, execution.retentionMs);
      if (removed > 0) log.info("pruned executions past retention", { removed });
    } catch (err) {
      log.warn("pruning executions failed; the next turn retries", { err: (err as Error).message });
    }
  };
  const listener = createRequestListener({
    db,
    commands,
    secrets,
    authorize: createAuthorizer(db, tokens, oidc),
    log,
    maxMessageBytes: config.maxMessageBytes,
    requestBufferBytes: config.requestBufferBytes,
    corsOrigins: config.corsOrigins,
    health,
    metrics,
    shutdown: shutdown.signal,
    stop: stop.signal,
    execute: {
      db,
      secrets,
      records,
      runner: pool,
      newId: commands.newId,
      triggerBudgetMs: execution.triggerBudgetMs,
      resultsMaxBytes: execution.resultsMaxBytes,
      // Half a message, as the results cap: a page's JSON can take up to six times its protobuf size (docs/sandbox.md, Results).
      pageMaxBytes: Math.floor(config.maxMessageBytes / 2),
    },
    zitadelTarget: config.zitadelTarget,
    console: {
      dir: builtConsoleDir(),
      oidc: config.oidc && config.consoleClientId ? { issuer: config.oidc.issuer, clientId: config.consoleClientId } : undefined,
    },
  });
  const server = createOnePortServer(listener, config.connections, tls);
  const load = () => ({ connections: server.connections, requests: server.requests, heldRequestBytes: listener.heldRequestBytes });
  metrics.watchServer(load);
  const bound = await server.listen(config.host, config.port);
  const pruner = setInterval(prune, pruneEveryMs).unref();
  void prune();
  let closing: Promise<void> | undefined;
  const stopWatching = watchDatabase(db, databasePingEveryMs, (reachable) => {
    if (reachable) log.info("the database is reachable again");
    else log.warn("the database is unreachable: the health service says NOT_SERVING until it is back");
    health.setServing(reachable && !closing);
  });
  log.info("actiond listening", { pid: process.pid, address: `${bound.family === "IPv6" ? `[${bound.address}]` : bound.address}:${bound.port}`, dataDir: config.dataDir, database: redactedDatabaseUrl(config.database), tls: tls !== undefined });
  return {
    address: { host: bound.address, port: bound.port },
    close() {
      closing ??= (async () => {
        health.setServing(false);
        shutdown.abort();
        clearInterval(pruner);
        stopWatching();
        await server.close(config.shutdownGraceMs, () => stop.abort(serverStopping));
        await pool.close();
        await records.flush();
        await data.close();
        lock.release();
        log.info("actiond stopped");
      })();
      return closing;
    },
    load,
    reload() {
      if (tls) tls.reload();
      secrets.reload();
    },
  };
}
