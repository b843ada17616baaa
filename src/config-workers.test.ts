import { describe, expect, it } from "vitest";
import { loadConfig } from "./config.js";

/** The pool's defaults leave one org short of every worker (docs/worker-pool.md, Fair queue). */
describe("loadConfig(): workers and org concurrency", () => {
  it("defaults to two workers at least, and an org cap below the worker count", () => {
    const { workers, orgConcurrency } = loadConfig([], {}).execution;
    expect(workers).toBeGreaterThanOrEqual(2);
    expect(orgConcurrency).toBeLessThan(workers);
  });

  it("derives the org cap from the workers configured", () => {
    expect(loadConfig(["--workers", "5"], {}).execution.orgConcurrency).toBe(2);
    expect(loadConfig([], { ACTIOND_WORKERS: "3" }).execution.orgConcurrency).toBe(1);
    expect(loadConfig(["--workers", "1"], {}).execution.orgConcurrency).toBe(1);
    expect(loadConfig(["--workers", "4", "--org-concurrency", "4"], {}).execution.orgConcurrency).toBe(4);
  });

  it("rejects an org cap that is not a positive integer", () => {
    expect(() => loadConfig(["--org-concurrency", "0"], {})).toThrow(/--org-concurrency/);
  });
});
