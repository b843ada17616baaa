import fs from "node:fs";
import path from "node:path";

const root = new URL("../..", import.meta.url).pathname;

/**
 * The build's entry, dist/main.js, as `npm start` runs it: process tests
 * run what users run. `npm test` builds first; a missing or stale build (older
 * than a source file) fails here with the command that fixes it, instead of
 * testing yesterday's code.
 */
export function builtEntry(): string {
  const entry = path.join(root, "dist/main.js");
  if (!fs.existsSync(entry)) throw new Error(`${entry} is missing: run "npm run build" (npm test does)`);
  const built = fs.statSync(entry).mtimeMs;
  const newer = sources().find((file) => fs.statSync(file).mtimeMs > built);
  if (newer) throw new Error(`the build is older than ${path.relative(root, newer)}: run "npm run build" (npm test does)`);
  return entry;
}

function sources(): string[] {
  return ["src", "gen"].flatMap((dir) =>
    fs
      .readdirSync(path.join(root, dir), { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
      .map((f) => path.join(root, dir, f)),
  );
}
