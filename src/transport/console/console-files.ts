import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { contentTypeOf } from "./content-types.js";

export interface ConsoleFile {
  body: Buffer;
  /** Set when compressing saves bytes; served to clients that accept gzip. */
  gzipped?: Buffer;
  type: string;
  etag: string;
  /** Named by its content hash (Vite's `assets/`): its URL changes with it, so caches keep it for good. */
  immutable: boolean;
}

/** Whether compressing pays: text, not already compressed images or fonts. */
const compressible = /^(text\/|application\/json|image\/svg)/;

/**
 * The built console, read into memory on first use: it is a few hundred KB,
 * and most processes never serve it. Only files found under `dir` can be
 * served, keyed by their path relative to it, so no request path can reach
 * outside the folder. Undefined when the console was not built.
 */
export function readConsoleFiles(dir: string): Map<string, ConsoleFile> | undefined {
  if (!fs.existsSync(path.join(dir, "index.html"))) return undefined;
  const files = new Map<string, ConsoleFile>();
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    const name = path.relative(dir, full).split(path.sep).join("/");
    const body = fs.readFileSync(full);
    const type = contentTypeOf(name);
    const gzipped = compressible.test(type) ? gzipSync(body, { level: 9 }) : undefined;
    files.set(name, {
      body,
      ...(gzipped && gzipped.length < body.length && { gzipped }),
      type,
      etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`,
      immutable: name.startsWith("assets/"),
    });
  }
  return files;
}
