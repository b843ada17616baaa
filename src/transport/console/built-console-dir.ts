import path from "node:path";
import { packageRoot } from "../../package-root.js";

/**
 * Where `npm run build` writes the console: dist/console in the package,
 * found from the sources and from the bundle alike, so tests that run the
 * sources serve the same build as `npm start`.
 */
export function builtConsoleDir(): string {
  return path.join(packageRoot()?.dir ?? process.cwd(), "dist", "console");
}
