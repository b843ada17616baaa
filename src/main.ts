#!/usr/bin/env node
import { runCli } from "./cli/run-cli.js";

/** `npm start` (serve), `npm run actiond -- <command>`, and the `actiond` command of an install. */
runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
}).then((code) => {
  // Exit only once stdout is flushed: a piped `org create` must not lose its id.
  process.stdout.write("", () => process.exit(code));
});
