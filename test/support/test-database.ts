import crypto from "node:crypto";
import { inject } from "vitest";
import { adminQuery } from "./postgres-cluster.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** The admin URL of the run's PostgreSQL cluster (postgres-global-setup.ts). */
    postgresUrl: string;
  }
}

export type TestEngine = "sqlite" | "postgres";

/** The engine this vitest project runs the e2e suite on (vitest.config.ts sets ACTIOND_TEST_ENGINE). */
export function testEngine(): TestEngine {
  const engine = process.env.ACTIOND_TEST_ENGINE ?? "sqlite";
  if (engine !== "sqlite" && engine !== "postgres") throw new Error(`ACTIOND_TEST_ENGINE: unknown engine "${engine}"; sqlite or postgres`);
  return engine;
}

export interface TestDatabase {
  /** The `--database` URL; undefined on SQLite, where the data dir holds the database. */
  url: string | undefined;
  /** Drops the database, whoever is still connected; twice is fine. */
  drop(): Promise<void>;
}

/** A fresh, empty database on the run's cluster, for one server or one set of nodes. */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (testEngine() === "sqlite") return { url: undefined, drop: async () => {} };
  const admin = inject("postgresUrl");
  if (!admin) throw new Error("ACTIOND_TEST_ENGINE=postgres, but no cluster was provided: run the e2e-postgres project (vitest.config.ts)");
  // Unquoted identifiers: lower case, digits and _ only.
  const name = `t_${crypto.randomBytes(8).toString("hex")}`;
  await adminQuery(admin, `CREATE DATABASE ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      await adminQuery(admin, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
