import fs from "node:fs";
import { configDefaults, defineConfig, type TestProjectInlineConfiguration } from "vitest/config";
import { postgresBinaries } from "./test/support/postgres-cluster.js";

/** The e2e suite, run once per engine; ACTIOND_TEST_ENGINE tells the test servers which (test/support/test-database.ts). */
const e2eInclude = ["test/**/*.test.ts"];
/** Tests of the PostgreSQL test support itself. */
const postgresOnly = ["test/support/postgres-cluster.test.ts"];

/** The e2e suite again, on one throwaway cluster for the run. */
const postgresProject: TestProjectInlineConfiguration = {
  extends: true,
  test: {
    name: "e2e-postgres",
    include: e2eInclude,
    env: { ACTIOND_TEST_ENGINE: "postgres" },
    globalSetup: ["test/support/postgres-global-setup.ts"],
  },
};

const postgresSkipped = postgresBinaries() ? undefined : postgresSkipNotice();

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // The notice again under the summary, where a skipped engine cannot scroll out of sight.
    ...(postgresSkipped && { reporters: ["default", { onTestRunEnd: () => void process.stderr.write(`\n${postgresSkipped}\n`) }] }),
    projects: [
      { extends: true, test: { name: "unit", include: ["src/**/*.test.ts", "web/src/**/*.test.ts"] } },
      {
        extends: true,
        test: {
          name: "e2e-sqlite",
          include: e2eInclude,
          exclude: [...configDefaults.exclude, ...postgresOnly],
          env: { ACTIOND_TEST_ENGINE: "sqlite" },
        },
      },
      ...(postgresSkipped ? [] : [postgresProject]),
    ],
  },
});

/** Says loudly that PostgreSQL is missing and what did not run; fails instead where CI requires PostgreSQL. */
function postgresSkipNotice(): string {
  const suites = fs
    .readdirSync(new URL("test", import.meta.url), { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".test.ts"))
    .map((f) => `  test/${f}`)
    .sort();
  const rule = "=".repeat(100);
  const install = "Install PostgreSQL to run them (Debian/Ubuntu, as root): apt-get install -y postgresql";
  const missing = "No PostgreSQL server binaries (initdb, pg_ctl) in /usr/lib/postgresql/*/bin";
  const notice = [
    rule,
    `SKIPPED: the e2e-postgres project. ${missing}, so these ${suites.length} suites did NOT run on PostgreSQL:`,
    ...suites,
    install,
    rule,
  ].join("\n");
  // .ci/run installs PostgreSQL first and sets this: in CI a skipped engine is a failure.
  if (process.env.ACTIOND_TEST_REQUIRE_POSTGRES === "1") throw new Error(`ACTIOND_TEST_REQUIRE_POSTGRES=1 and\n${notice}`);
  // Vitest may evaluate this file more than once in a process; say it once up front.
  const said = Symbol.for("actiond.postgresSkipNotice");
  if (!(globalThis as Record<symbol, unknown>)[said]) {
    (globalThis as Record<symbol, unknown>)[said] = true;
    const summary = [rule, `SKIPPED: the e2e-postgres project. ${missing}.`, install, "(the skipped suites are listed after the run)", rule];
    process.stderr.write(`\n${summary.join("\n")}\n\n`);
  }
  return notice;
}
