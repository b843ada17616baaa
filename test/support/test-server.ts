import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type RunningApp, startApp } from "../../src/app.js";
import { adminTokenFile } from "../../src/auth/bootstrap.js";
import { type Config, loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";
import { createTestDatabase } from "./test-database.js";

export interface TestServer {
  app: RunningApp;
  baseUrl: string;
  /** host:port, for gRPC clients that take no scheme. */
  target: string;
  dataDir: string;
  /** The `--database` URL it serves, for the CLI and second connections; undefined on SQLite. */
  database: string | undefined;
  adminToken: string;
  /** Log lines the server wrote, parsed. */
  logs: Record<string, unknown>[];
  close(): Promise<void>;
}

/**
 * The real server on an ephemeral loopback port with a fresh data dir and,
 * on PostgreSQL (test-database.ts), a fresh database, dropped on close. A
 * `database` override, even undefined (SQLite), is used as given and kept.
 */
export async function startTestServer(overrides: Partial<Config> = {}): Promise<TestServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "actiond-test-"));
  const owned = "database" in overrides ? undefined : await createTestDatabase();
  const cleanUp = async () => {
    await owned?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  const config = { ...loadConfig([], {}), host: "127.0.0.1", port: 0, dataDir, database: owned?.url, ...overrides };
  const logs: Record<string, unknown>[] = [];
  let app: RunningApp;
  try {
    app = await startApp(config, createLogger("debug", (line) => logs.push(JSON.parse(line))));
  } catch (err) {
    await cleanUp();
    throw err;
  }
  const adminToken = fs.readFileSync(path.join(dataDir, adminTokenFile), "utf8").trim();
  const target = `127.0.0.1:${app.address.port}`;
  return {
    app,
    baseUrl: `${config.tls ? "https" : "http"}://${target}`,
    target,
    dataDir,
    database: config.database,
    adminToken,
    logs,
    async close() {
      try {
        await app.close();
      } finally {
        await cleanUp();
      }
    },
  };
}
