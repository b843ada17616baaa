import fs from "node:fs";
import path from "node:path";

/**
 * actiond's package folder and its package.json: one folder up from the
 * sources (src/) and from the bundle (dist/), and wherever a test or bench
 * imports it from, so it is looked for upwards rather than at a fixed path.
 */
export function packageRoot(): { dir: string; version: string } | undefined {
  for (let dir = new URL(".", import.meta.url); dir.pathname !== "/"; dir = new URL("..", dir)) {
    const file = new URL("package.json", dir);
    if (!fs.existsSync(file)) continue;
    const pkg = JSON.parse(fs.readFileSync(file, "utf8")) as { name?: string; version?: string };
    if (pkg.name === "actiond") return { dir: path.resolve(dir.pathname), version: pkg.version ?? "unknown" };
  }
  return undefined;
}
