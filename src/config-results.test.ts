import { describe, expect, it } from "vitest";
import { loadConfig } from "./config.js";

describe("--execution-results-max-bytes", () => {
  it("defaults to 1 MiB, a quarter of the default message, and to half a message when messages are smaller", () => {
    expect(loadConfig([], {}).execution.resultsMaxBytes).toBe(1024 * 1024);
    expect(loadConfig(["--max-message-bytes", "1000000"], {}).execution.resultsMaxBytes).toBe(500_000);
  });

  it("is read from its flag or ACTIOND_EXECUTION_RESULTS_MAX_BYTES", () => {
    expect(loadConfig(["--execution-results-max-bytes", "65536"], {}).execution.resultsMaxBytes).toBe(65536);
    expect(loadConfig([], { ACTIOND_EXECUTION_RESULTS_MAX_BYTES: "2097152" }).execution.resultsMaxBytes).toBe(2097152);
  });

  it("may be at most half of --max-message-bytes, so a record fits one message", () => {
    expect(() => loadConfig(["--execution-results-max-bytes", "2097153"], {})).toThrow(
      "--execution-results-max-bytes: 2097153 is more than half of --max-message-bytes (4194304); a record must fit in one message",
    );
    expect(() => loadConfig(["--max-message-bytes", "1048576", "--execution-results-max-bytes", "1048576"], {})).toThrow(/--execution-results-max-bytes/);
  });
});
