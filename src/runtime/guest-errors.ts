import type { QuickJSHandle } from "quickjs-emscripten";

/**
 * A guest exception surfacing in host code (a throwing getter, an interrupt);
 * host functions rethrow it unchanged so an uncatchable interrupt stays uncatchable.
 * The handle is owned by whoever catches this.
 */
export class GuestThrow extends Error {
  constructor(readonly handle: QuickJSHandle) {
    super("guest exception");
    this.name = "GuestThrow";
  }
}

/**
 * An error the runtime API raises on purpose, the way ZITADEL's native
 * helpers panic ("too many args", "projectId not set"); the script sees an
 * `Error` (or the given name) with this message.
 */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly errorName: "Error" | "TypeError" | "RangeError" = "Error",
  ) {
    super(message);
    this.name = "ApiError";
  }
}
