import type { Logger } from "./logger.js";

/**
 * Node prints its process warnings (a deprecation, too many listeners) raw on
 * stderr through a listener it adds at start-up; the server's stderr carries
 * JSON lines only. This swaps that listener for one that logs each warning
 * as a line of its own, and returns what undoes it.
 */
export function logProcessWarnings(log: Logger): () => void {
  const printers = process.listeners("warning");
  process.removeAllListeners("warning");
  const onWarning = (warning: Error & { code?: string }) => log.warn("node warning", { name: warning.name, code: warning.code, message: warning.message });
  process.on("warning", onWarning);
  return () => {
    process.off("warning", onWarning);
    for (const printer of printers) process.on("warning", printer);
  };
}
