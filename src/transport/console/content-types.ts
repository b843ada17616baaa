/** The types of what Vite's build writes; anything else is served as bytes, which `nosniff` keeps from being run. */
const types: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".map": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
};

export function contentTypeOf(file: string): string {
  const dot = file.lastIndexOf(".");
  return (dot === -1 ? undefined : types[file.slice(dot).toLowerCase()]) ?? "application/octet-stream";
}
