import { packageRoot } from "./package-root.js";

/** actiond's version, from its package.json (package-root.ts). */
export function packageVersion(): string {
  return packageRoot()?.version ?? "unknown";
}
