/**
 * A server under test, run in its own process so it gets its own event loop
 * (and, on a 2-core machine, roughly its own core).
 *
 *   node --import tsx bench/server-process.ts actiond <dataDir> [actiond flags, e.g. --workers 2]
 *   node --import tsx bench/server-process.ts grpc-bytes <file>   (bench/baseline-servers.ts)
 *   node --import tsx bench/server-process.ts http-bytes <file>
 *
 * actiond logs at "warn" unless the flags name --log-level: a bench that counts
 * the call log's lines (bench/call-log.ts) passes the default, "info", and sends
 * the child's stderr to a file.
 *
 * Prints one JSON line on stdout once it listens ({"port":…}). Stops on
 * SIGTERM/SIGINT or when stdin closes (the parent died).
 */
import fs from "node:fs";
import path from "node:path";
import { startApp } from "../src/app.js";
import { adminTokenFile } from "../src/auth/bootstrap.js";
import { loadConfig } from "../src/config.js";
import { createLogger } from "../src/logger.js";
import { type Started, startGrpcBytes, startHttpBytes } from "./baseline-servers.js";

/** `flags` go through loadConfig as on the command line (ACTIOND_* variables of the parent are ignored). */
async function startActiond(dataDir: string, flags: string[]): Promise<Started> {
  const parsed = loadConfig(flags, {});
  const logLevel = flags.some((f) => f.startsWith("--log-level")) ? parsed.logLevel : "warn";
  const config = { ...parsed, host: "127.0.0.1", port: 0, dataDir, logLevel };
  const app = await startApp(config, createLogger(config.logLevel));
  // Only the node that bootstrapped the database has the token file; a second node on the same PostgreSQL has none.
  const tokenFile = path.join(dataDir, adminTokenFile);
  const adminToken = fs.existsSync(tokenFile) ? fs.readFileSync(tokenFile, "utf8").trim() : undefined;
  const { workers, orgConcurrency, retentionMaxPerOrg: executionMaxPerOrg } = config.execution;
  return { info: { port: app.address.port, adminToken, workers, orgConcurrency, executionMaxPerOrg }, close: () => app.close() };
}

async function main() {
  const [mode, dir, ...flags] = process.argv.slice(2);
  let started: Started;
  if (mode === "actiond" && dir) started = await startActiond(dir, flags);
  else if (mode === "grpc-bytes" && dir) started = await startGrpcBytes(dir);
  else if (mode === "http-bytes" && dir) started = await startHttpBytes(dir);
  else throw new Error("usage: server-process.ts actiond <dataDir> [flags] | grpc-bytes <file> | http-bytes <file>");

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(1), 5_000).unref();
    started.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  process.stdin.once("end", stop);
  process.stdin.resume();
  process.stdout.write(JSON.stringify(started.info) + "\n");
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
