import { type RunningApp, startApp } from "../app.js";
import { type Config, loadConfig } from "../config.js";
import { serveUsage } from "../config-options.js";
import { DataDirInUse } from "../data-dir.js";
import { createLogger, type Logger, lineBuffer } from "../logger.js";
import { logProcessWarnings } from "../process-warnings.js";
import { CliError, type CliIo, UsageError } from "./cli-io.js";

export const serveHelp = serveUsage();

/** Serves until SIGTERM or SIGINT, then shuts down gracefully and resolves with the exit code; SIGHUP reloads the TLS files and the secrets key file. */
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
  const log = createLogger(config.logLevel, stderr.line);
  const stopLoggingWarnings = logProcessWarnings(log);
  try {
    return await serve(config, log);
  } finally {
    stopLoggingWarnings();
    stderr.flush();
    process.off("exit", stderr.flush);
  }
}

async function serve(config: Config, log: Logger): Promise<number> {
  // Listen for signals before the port opens: a SIGTERM sent as soon as the
  // "listening" line appears must still shut down gracefully. The handlers
  // stay for the whole shutdown: Ctrl-C under `npm start` delivers SIGINT
  // twice (from the terminal and forwarded by npm), and a second signal
  // without a handler would kill the process mid-shutdown.
  let stopping = false;
  let stop!: (signal: string) => void;
  const stopSignal = new Promise<string>((resolve) => (stop = resolve));
  const onSignal = (signal: string) => {
    if (stopping) return log.info("already shutting down", { signal });
    stopping = true;
    stop(signal);
  };
  // Node's default for SIGHUP is to exit. One during the start is answered
  // once the server runs: the files may have changed after they were read.
  let app: RunningApp | undefined;
  let hangUpWaiting = false;
  const onHangUp = () => (app ? app.reload() : (hangUpWaiting = true));
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
  process.on("SIGHUP", onHangUp);
  try {
    app = await startApp(config, log).catch((err: unknown) => {
      throw err instanceof DataDirInUse ? new CliError(err.message) : err;
    });
    if (hangUpWaiting) app.reload();
    log.info("shutting down", { signal: await stopSignal });
    try {
      await app.close();
      return 0;
    } catch (err) {
      log.error("shutdown failed", { err });
      return 1;
    }
  } finally {
    process.off("SIGTERM", onSignal);
    process.off("SIGINT", onSignal);
    process.off("SIGHUP", onHangUp);
  }
}
