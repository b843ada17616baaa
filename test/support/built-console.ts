import fs from "node:fs";
import path from "node:path";
import { builtConsoleDir } from "../../src/transport/console/index.js";

const root = new URL("../..", import.meta.url).pathname;

/**
 * The console's build, dist/console, as the server serves it: browser tests
 * test what users get. `npm test` builds first; a missing or stale build
 * (older than a file in web/ or gen/) fails here with the command that fixes
 * it, instead of testing yesterday's console.
 */
export function builtConsole(): string {
  const dir = builtConsoleDir();
  const index = path.join(dir, "index.html");
  if (!fs.existsSync(index)) throw new Error(`${index} is missing: run "npm run build" (npm test does)`);
  const built = fs.statSync(index).mtimeMs;
  const newer = sources().find((file) => fs.statSync(file).mtimeMs > built);
  if (newer) throw new Error(`the console's build is older than ${path.relative(root, newer)}: run "npm run build" (npm test does)`);
  return dir;
}

function sources(): string[] {
  return ["web", "gen"].flatMap((dir) =>
    fs
      .readdirSync(path.join(root, dir), { recursive: true, encoding: "utf8" })
      .filter((f) => /\.(tsx?|css|html)$/.test(f) && !f.endsWith(".test.ts"))
      .map((f) => path.join(root, dir, f)),
  );
}
