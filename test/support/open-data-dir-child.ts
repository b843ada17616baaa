/**
 * A process that opens a data dir as the CLI does, on cue: it prints "ready",
 * waits for a line on stdin, then opens (creating and migrating) and closes.
 * Several of them started together open one fresh database at the same moment.
 */
import readline from "node:readline";
import { openDataDir } from "../../src/data-dir.js";
import { createLogger } from "../../src/logger.js";

const dir = process.argv[2]!;
const input = readline.createInterface({ input: process.stdin });
process.stdout.write("ready\n");
input.once("line", async () => {
  input.close();
  try {
    await (await openDataDir(dir, {}, createLogger("error"))).close();
    process.stdout.write("opened\n");
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exitCode = 1;
  }
});
