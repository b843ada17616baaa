import { describe, expect, it } from "vitest";
import { loadConfig } from "./config.js";
import { redactedDatabaseUrl } from "./store/open-database.js";

describe("loadConfig(): the database", () => {
  it("keeps the data dir's SQLite file when no database, or sqlite:, is named", () => {
    expect(loadConfig([], {}).database).toBeUndefined();
    expect(loadConfig(["--database", "sqlite:"], {}).database).toBeUndefined();
  });

  it("takes a PostgreSQL URL from the flag or ACTIOND_DATABASE_URL, the flag first", () => {
    const url = "postgres://actiond:pw@db.internal:5432/actiond";
    expect(loadConfig([], { ACTIOND_DATABASE_URL: url }).database).toBe(url);
    expect(loadConfig(["--database", "postgresql://h/db"], { ACTIOND_DATABASE_URL: url }).database).toBe("postgresql://h/db");
    expect(loadConfig(["--database-pool-size", "4"], {}).databasePoolSize).toBe(4);
  });

  it("refuses what it cannot serve, saying which engines it speaks", () => {
    expect(() => loadConfig(["--database", "mysql://h/db"], {})).toThrow(/--database: unknown scheme "mysql:"; actiond speaks sqlite: and postgres:\/\//);
    expect(() => loadConfig(["--database", "db.internal"], {})).toThrow(/--database: not a URL/);
    expect(() => loadConfig(["--database-pool-size", "0"], {})).toThrow(/--database-pool-size/);
  });

  it("never logs the password", () => {
    expect(redactedDatabaseUrl("postgres://actiond:s3cret@db:5432/actiond")).toBe("postgres://actiond:***@db:5432/actiond");
    expect(redactedDatabaseUrl(undefined)).toBe("sqlite:");
  });
});
