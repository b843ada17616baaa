/**
 * @module
 * The web console's static files (web/, built into dist/console) on the API's
 * port (docs/console.md). Everything else in this folder is private.
 */
export { builtConsoleDir } from "./built-console-dir.js";
export { type ConsoleRouteOptions, createConsoleRoute, consolePath } from "./route.js";
