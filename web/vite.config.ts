import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

/**
 * The console's build: `npm run build` runs it after the server's, into
 * dist/console, which the server serves at /console/ (docs/console.md).
 * No source maps: the first load stays small, and the sources are in the repo.
 */
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "/console/",
  plugins: [react()],
  logLevel: "warn",
  build: {
    outDir: fileURLToPath(new URL("../dist/console", import.meta.url)),
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
    // No inline data: URLs for scripts or fonts under a CSP of 'self'.
    assetsInlineLimit: 0,
    // The editor's chunk (CodeMirror) is about 510 KB minified; what counts is the first load,
    // gzipped, which test/e2e/console.e2e.test.ts holds to 300 KB.
    chunkSizeWarningLimit: 600,
  },
});
