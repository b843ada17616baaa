import fs from "node:fs";

/**
 * actiond's version, from its package.json: one folder up from the sources
 * (src/) and from the bundle (dist/), and wherever a test or bench imports
 * it from, so it is looked for upwards rather than at a fixed path.
 */
export function packageVersion(): string {
  for (let dir = new URL(".", import.meta.url); dir.pathname !== "/"; dir = new URL("..", dir)) {
    const file = new URL("package.json", dir);
    if (!fs.existsSync(file)) continue;
    const pkg = JSON.parse(fs.readFileSync(file, "utf8")) as { name?: string; version?: string };
    if (pkg.name === "actiond" && pkg.version) return pkg.version;
  }
  return "unknown";
}
