import type { TestProject } from "vitest/node";
import { startPostgresCluster } from "./postgres-cluster.js";

/**
 * The e2e-postgres project's one cluster for the whole run: each test server
 * gets a database of its own on it (test-database.ts), so files share the
 * server process but never data.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cluster = await startPostgresCluster();
  project.provide("postgresUrl", cluster.url);
  return () => cluster.stop();
}
