import { setMaxListeners } from "node:events";
import { createAuthorizer } from "./auth/authorize.js";
import { bootstrap } from "./auth/bootstrap.js";
import { createOidcVerifier } from "./auth/oidc/index.js";
import { createEgressFetcher } from "./egress/index.js";
import { createWorkerPool } from "./execution/pool/worker-pool.js";
import { createExecutionLog, pruneExecutions } from "./store/execution-records.js";
import type { Config } from "./config.js";
import { openDataDir } from "./data-dir.js";
import type { Logger } from "./logger.js";
import { createRequestListener } from "./server.js";
import { createHealthStatus } from "./transport/health.js";
import { createOnePortServer } from "./transport/one-port.js";

/** Largest response body a script's fetch may receive. */
const fetchResponseBytes = 1024 * 1024;
const pruneEveryMs = 10 * 60_000;

export interface RunningApp {
  /** The address actually bound (port 0 picks a free one). */
  address: { host: string; port: number };
  /** Graceful: stop accepting, finish in-flight calls, close sessions and the database. */
  close(): Promise<void>;
}

/** The composition root: opens the store, bootstraps, and serves every protocol on one port. */
export async function startApp(config: Config, log: Logger): Promise<RunningApp> {
  const data = openDataDir(config.dataDir);
  const { db, commands, tokens } = data;
  bootstrap({ db, commands, tokens, dataDir: config.dataDir, log });

  const oidc = config.oidc && { verifier: createOidcVerifier(config.oidc), log };
  if (config.oidc) {
    log.info("accepting OIDC access tokens", { issuer: config.oidc.issuer, audience: config.oidc.audience });
    if (!config.oidc.audience) log.warn("no --oidc-audience: tokens the issuer made for any client are accepted");
  }
  const health = createHealthStatus();
  const shutdown = new AbortController();
  // connect links every in-flight call of the services it is given to: one listener per call is expected.
  setMaxListeners(0, shutdown.signal);
  const { execution } = config;
  const pool = createWorkerPool({
    size: execution.workers,
    entry: new URL("./runtime/worker-entry.ts", import.meta.url),
    fetcher: createEgressFetcher({ allow: execution.httpAllow, deny: execution.httpDeny, maxResponseBytes: fetchResponseBytes }),
    maxRunningPerOrg: execution.orgConcurrency,
    maxQueuedPerOrg: execution.orgQueue,
    watchdogGraceMs: 250,
    fetchBufferBytes: fetchResponseBytes * 2 + 64 * 1024,
    log,
  });
  const records = createExecutionLog(db, log);
  const prune = () => {
    const removed = records.read((d) => pruneExecutions(d, { maxAgeMs: execution.retentionMs, maxPerOrg: execution.retentionMaxPerOrg }));
    if (removed > 0) log.info("pruned executions past retention", { removed });
  };
  const server = createOnePortServer(
    createRequestListener({
      db,
      commands,
      authorize: createAuthorizer(db, tokens, oidc),
      log,
      maxMessageBytes: config.maxMessageBytes,
      corsOrigins: config.corsOrigins,
      health,
      shutdown: shutdown.signal,
      execute: { db, records, runner: pool, newId: commands.newId, triggerBudgetMs: execution.triggerBudgetMs },
    }),
    { maxConcurrentStreams: 1000 },
  );
  const bound = await server.listen(config.host, config.port);
  const pruner = setInterval(prune, pruneEveryMs).unref();
  prune();
  log.info("actiond listening", { address: `${bound.family === "IPv6" ? `[${bound.address}]` : bound.address}:${bound.port}`, dataDir: config.dataDir });

  let closing: Promise<void> | undefined;
  return {
    address: { host: bound.address, port: bound.port },
    close() {
      closing ??= (async () => {
        health.setServing(false);
        shutdown.abort();
        clearInterval(pruner);
        await server.close(config.shutdownGraceMs);
        await pool.close();
        records.flush();
        data.close();
        log.info("actiond stopped");
      })();
      return closing;
    },
  };
}
