import { startApp } from "./app.js";
import { loadConfig, usage } from "./config.js";
import { createLogger } from "./logger.js";

/** `npm start` / `npm run actiond -- serve`: parse the configuration, serve, and stop on a signal. */
async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const command = argv[0] && !argv[0].startsWith("-") ? argv[0] : "serve";
  let config;
  try {
    config = loadConfig(argv, process.env);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${usage}\n`);
    process.exit(2);
  }
  if (config.help) {
    process.stdout.write(usage + "\n");
    return;
  }
  if (command !== "serve") {
    process.stderr.write(`unknown command "${command}"\n\n${usage}\n`);
    process.exit(2);
  }
  const log = createLogger(config.logLevel);
  const app = await startApp(config, log);
  const stop = (signal: string) => {
    log.info("shutting down", { signal });
    app.close().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error("shutdown failed", { err });
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", () => stop("SIGTERM"));
  process.once("SIGINT", () => stop("SIGINT"));
}

main().catch((err: unknown) => {
  process.stderr.write(`actiond failed to start: ${(err as Error).message ?? err}\n`);
  process.exit(1);
});
