/**
 * A server under test, run in its own process so it gets its own event loop
 * (and, on a 2-core machine, roughly its own core).
 *
 *   node --import tsx bench/server-process.ts actiond <dataDir> [actiond flags, e.g. --workers 2]
 *   node --import tsx bench/server-process.ts baseline
 *
 * Prints one JSON line on stdout once it listens ({"port":…}). Stops on
 * SIGTERM/SIGINT or when stdin closes (the parent died).
 */
import fs from "node:fs";
import path from "node:path";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import * as grpc from "@grpc/grpc-js";
import {
  type HealthCheckRequest,
  HealthCheckRequestSchema,
  type HealthCheckResponse,
  HealthCheckResponseSchema,
  HealthCheckResponse_ServingStatus as ServingStatus,
} from "../gen/grpc/health/v1/health_pb.js";
import { startApp } from "../src/app.js";
import { adminTokenFile } from "../src/auth/bootstrap.js";
import { loadConfig } from "../src/config.js";
import { createLogger } from "../src/logger.js";

interface Started {
  info: Record<string, unknown>;
  close(): Promise<void>;
}

/** `flags` go through loadConfig as on the command line (ACTIOND_* variables of the parent are ignored). */
async function startActiond(dataDir: string, flags: string[]): Promise<Started> {
  const config = { ...loadConfig(flags, {}), host: "127.0.0.1", port: 0, dataDir, logLevel: "warn" as const };
  const app = await startApp(config, createLogger(config.logLevel));
  // Only the node that bootstrapped the database has the token file; a second node on the same PostgreSQL has none.
  const tokenFile = path.join(dataDir, adminTokenFile);
  const adminToken = fs.existsSync(tokenFile) ? fs.readFileSync(tokenFile, "utf8").trim() : undefined;
  const { workers, orgConcurrency, retentionMaxPerOrg: executionMaxPerOrg } = config.execution;
  return { info: { port: app.address.port, adminToken, workers, orgConcurrency, executionMaxPerOrg }, close: () => app.close() };
}

/** A plain grpc-js Server answering grpc.health.v1.Health/Check, with protobuf-es (de)serializers. */
async function startBaseline(): Promise<Started> {
  const server = new grpc.Server();
  const check: grpc.MethodDefinition<HealthCheckRequest, HealthCheckResponse> = {
    path: "/grpc.health.v1.Health/Check",
    requestStream: false,
    responseStream: false,
    requestSerialize: (m) => Buffer.from(toBinary(HealthCheckRequestSchema, m)),
    requestDeserialize: (b) => fromBinary(HealthCheckRequestSchema, b),
    responseSerialize: (m) => Buffer.from(toBinary(HealthCheckResponseSchema, m)),
    responseDeserialize: (b) => fromBinary(HealthCheckResponseSchema, b),
  };
  const handler: grpc.handleUnaryCall<HealthCheckRequest, HealthCheckResponse> = (_call, callback) =>
    callback(null, create(HealthCheckResponseSchema, { status: ServingStatus.SERVING }));
  server.addService({ Check: check }, { Check: handler });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  return {
    info: { port },
    close: () =>
      new Promise<void>((resolve) => {
        server.forceShutdown();
        resolve();
      }),
  };
}

async function main() {
  const [mode, dataDir, ...flags] = process.argv.slice(2);
  let started: Started;
  if (mode === "actiond" && dataDir) started = await startActiond(dataDir, flags);
  else if (mode === "baseline") started = await startBaseline();
  else throw new Error("usage: server-process.ts actiond <dataDir> | baseline");

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
