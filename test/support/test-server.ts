import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type RunningApp, startApp } from "../../src/app.js";
import { adminTokenFile } from "../../src/auth/bootstrap.js";
import { type Config, loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";

export interface TestServer {
  app: RunningApp;
  baseUrl: string;
  /** host:port, for gRPC clients that take no scheme. */
  target: string;
  dataDir: string;
  adminToken: string;
  /** Log lines the server wrote, parsed. */
  logs: Record<string, unknown>[];
  close(): Promise<void>;
}

/** The real server on an ephemeral loopback port with a fresh data dir. */
export async function startTestServer(overrides: Partial<Config> = {}): Promise<TestServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "actiond-test-"));
  const config = { ...loadConfig([], {}), host: "127.0.0.1", port: 0, dataDir, ...overrides };
  const logs: Record<string, unknown>[] = [];
  const app = await startApp(config, createLogger("debug", (line) => logs.push(JSON.parse(line))));
  const adminToken = fs.readFileSync(path.join(dataDir, adminTokenFile), "utf8").trim();
  const target = `127.0.0.1:${app.address.port}`;
  return {
    app,
    baseUrl: `http://${target}`,
    target,
    dataDir,
    adminToken,
    logs,
    async close() {
      await app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
