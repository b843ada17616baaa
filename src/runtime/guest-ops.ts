import type { QuickJSContext, QuickJSHandle, Scope } from "quickjs-emscripten";
import { ApiError, GuestThrow } from "./guest-errors.js";

/**
 * The only ways the host touches guest values. Whatever may run guest code
 * (toJSON, toString, setters) goes through `callFunction`, which reports
 * exceptions. Property reads use `getProp`, whose exceptions surface as a
 * handle of type "unknown": `get` turns that into an ApiError and leaves the
 * pending guest exception to be replaced by the next one, which is harmless.
 *
 * Built-ins are looked up on first use and cached for the run; a trivial run
 * touches none of them (quickjs-ng builds JSON or Reflect on first access,
 * several µs each). A script that replaced one only changes what it hands
 * over itself, and the host validates all of that.
 *
 * A class rather than closures: tsx's keepNames re-defines `name` on every
 * closure it creates, which costs more than the rest of a trivial run's setup.
 */
export class GuestOps {
  private readonly builtins = new Map<string, QuickJSHandle>();

  constructor(
    private readonly vm: QuickJSContext,
    private readonly scope: Scope,
    private readonly maxResultChars: number,
  ) {}

  /** `callFunction` that turns a guest exception into `GuestThrow`; an owned handle. */
  call(fn: QuickJSHandle, thisValue: QuickJSHandle, ...args: QuickJSHandle[]): QuickJSHandle {
    const result = this.vm.callFunction(fn, thisValue, ...args);
    if (result.error) throw new GuestThrow(result.error);
    return result.value;
  }

  /** A property read (getters run); an owned handle. */
  get(target: QuickJSHandle, key: string | number): QuickJSHandle {
    const value = this.vm.getProp(target, key);
    if (this.vm.typeof(value) !== "unknown") return value;
    value.dispose();
    throw new ApiError(`reading ${JSON.stringify(String(key).slice(0, 100))} threw`);
  }

  /** Guest `JSON.parse`; an owned handle. */
  parse(json: string): QuickJSHandle {
    const source = this.vm.newString(json);
    try {
      return this.call(this.builtin("JSON.parse"), this.builtin("JSON"), source);
    } finally {
      source.dispose();
    }
  }

  /** Guest `JSON.stringify`, cut to `maxChars`; undefined when the value has no JSON form. */
  json(value: QuickJSHandle, maxChars: number): { text: string; truncated: boolean } | undefined {
    const out = this.call(this.builtin("JSON.stringify"), this.builtin("JSON"), value);
    try {
      return this.vm.typeof(out) === "string" ? this.readString(out, maxChars) : undefined;
    } finally {
      out.dispose();
    }
  }

  /** Guest `JSON.stringify`, size-checked against the run's result limit. */
  stringify(value: QuickJSHandle, what: string): string | undefined {
    const out = this.json(value, this.maxResultChars);
    if (out?.truncated) {
      throw new ApiError(`${what} is too large: over ${this.maxResultChars} characters as JSON`, "RangeError");
    }
    return out?.text;
  }

  /** Guest `String(value)`, cut to `maxChars`. */
  text(value: QuickJSHandle, maxChars = this.maxResultChars): string {
    if (this.vm.typeof(value) === "string") return this.readString(value, maxChars).text;
    const converted = this.call(this.builtin("String"), this.vm.undefined, value);
    try {
      return this.readString(converted, maxChars).text;
    } finally {
      converted.dispose();
    }
  }

  /** Reads a handle known to be a string, cut to `maxChars`. */
  readString(handle: QuickJSHandle, maxChars: number): { text: string; truncated: boolean } {
    const lengthHandle = this.vm.getProp(handle, "length");
    const length = this.vm.getNumber(lengthHandle);
    lengthHandle.dispose();
    if (length <= maxChars) return { text: this.vm.getString(handle), truncated: false };
    const start = this.vm.newNumber(0);
    const end = this.vm.newNumber(maxChars);
    try {
      const cut = this.call(this.builtin("String.prototype.slice"), handle, start, end);
      try {
        return { text: this.vm.getString(cut), truncated: true };
      } finally {
        cut.dispose();
      }
    } finally {
      start.dispose();
      end.dispose();
    }
  }

  /** `Reflect.set`; false when the target refused (frozen). */
  set(target: QuickJSHandle, key: string | number, value: QuickJSHandle): boolean {
    const keyHandle = typeof key === "number" ? this.vm.newNumber(key) : this.vm.newString(key);
    try {
      return this.isTrue(this.call(this.builtin("Reflect.set"), this.builtin("Reflect"), target, keyHandle, value));
    } finally {
      keyHandle.dispose();
    }
  }

  /** `typeof` that tells null apart ("null"); this WASM build has no handle equality. */
  typeOf(value: QuickJSHandle): string {
    const type = this.vm.typeof(value);
    if (type !== "object") return type;
    return this.isTrue(this.call(this.builtin("Object.is"), this.vm.undefined, value, this.vm.null)) ? "null" : "object";
  }

  isError(value: QuickJSHandle): boolean {
    const type = this.typeOf(value);
    if (type !== "object" && type !== "function") return false;
    return this.isTrue(this.call(this.builtin("Error.prototype.isPrototypeOf"), this.builtin("Error.prototype"), value));
  }

  /** The value of a handle known to be a boolean; ToNumber of a boolean runs no guest code. */
  bool(value: QuickJSHandle): boolean {
    return this.vm.getNumber(value) === 1;
  }

  /** True for a boolean true; disposes the handle. */
  private isTrue(handle: QuickJSHandle): boolean {
    try {
      return this.vm.typeof(handle) === "boolean" && this.bool(handle);
    } finally {
      handle.dispose();
    }
  }

  /** A built-in by its path from the global object, e.g. "String.prototype.slice". */
  private builtin(path: string): QuickJSHandle {
    let handle = this.builtins.get(path);
    if (!handle) {
      const dot = path.lastIndexOf(".");
      const owner = dot < 0 ? this.vm.global : this.builtin(path.slice(0, dot));
      handle = this.scope.manage(this.get(owner, path.slice(dot + 1)));
      this.builtins.set(path, handle);
    }
    return handle;
  }
}
