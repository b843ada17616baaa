import { startApp } from "../app.js";
import { type Config, loadConfig, usage } from "../config.js";
import { DataDirInUse } from "../data-dir.js";
import { createLogger, type Logger, lineBuffer } from "../logger.js";
import { CliError, type CliIo, UsageError } from "./cli-io.js";

export const serveHelp = usage + "\n";

/** Serves until SIGTERM or SIGINT, then shuts down gracefully and resolves with the exit code. */
export async function runServeCommand(args: string[], io: CliIo): Promise<number> {
  let config;
  try {
    config = loadConfig(args, io.env);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (config.help) {
    io.stdout(serveHelp);
    return 0;
  }
  const stderr = lineBuffer(io.stderr);
  process.on("exit", stderr.flush);
  try {
    return await serve(config, createLogger(config.logLevel, stderr.line));
  } finally {
    stderr.flush();
    process.off("exit", stderr.flush);
  }
}

async function serve(config: Config, log: Logger): Promise<number> {
  // Listen for signals before the port opens: a SIGTERM sent as soon as the
  // "listening" line appears must still shut down gracefully.
  const stopSignal = new Promise<string>((resolve) => {
    process.once("SIGTERM", () => resolve("SIGTERM"));
    process.once("SIGINT", () => resolve("SIGINT"));
  });
  const app = await startApp(config, log).catch((err: unknown) => {
    throw err instanceof DataDirInUse ? new CliError(err.message) : err;
  });
  const signal = await stopSignal;
  log.info("shutting down", { signal });
  try {
    await app.close();
    return 0;
  } catch (err) {
    log.error("shutdown failed", { err });
    return 1;
  }
}
