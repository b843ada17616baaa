import type { QuickJSHandle } from "quickjs-emscripten";
import { ApiError, GuestThrow } from "./guest-errors.js";
import type { GuestEnv } from "./guest-env.js";

interface GuestErrorInfo {
  /** `Name: message` for errors, the value itself for anything else thrown. */
  message: string;
  line?: number;
  column?: number;
  /** QuickJS's own out-of-memory error, or the string-length limit a doubling bomb hits first. */
  outOfMemory: boolean;
}

/** The file name QuickJS puts into stack traces of the script, e.g. `at action (action.js:3:9)`. */
export const scriptFile = "action.js";
const framePattern = new RegExp(`${scriptFile.replace(".", "\\.")}:(\\d+):(\\d+)`);

/** Reads a thrown guest value through guest calls only; getters on it stay bounded by the deadline. */
export function describeGuestError(env: GuestEnv, error: QuickJSHandle): GuestErrorInfo {
  const { ops } = env;
  try {
    if (ops.typeOf(error) !== "object") {
      return { message: ops.text(error, 4000), outOfMemory: false };
    }
    const name = readText(env, error, "name", 200);
    const message = readText(env, error, "message", 4000);
    const stack = readText(env, error, "stack", 64 * 1024);
    if (name === undefined && message === undefined) {
      return { message: ops.json(error, 4000)?.text ?? ops.text(error, 4000), outOfMemory: false };
    }
    const text = name && message ? `${name}: ${message}` : (message ?? name ?? "");
    const outOfMemory = name === "InternalError" && (message === "out of memory" || message === "string too long");
    return { message: text, ...locate(stack), outOfMemory };
  } catch (failure) {
    if (failure instanceof GuestThrow) failure.handle.dispose();
    else if (!(failure instanceof ApiError)) throw failure;
    return { message: "the script threw a value that could not be read", outOfMemory: false };
  }
}

/** Line and column of the innermost frame in the script, skipping native and host frames. */
function locate(stack: string | undefined): { line?: number; column?: number } {
  const match = stack ? framePattern.exec(stack) : null;
  return match ? { line: Number(match[1]), column: Number(match[2]) } : {};
}

function readText(env: GuestEnv, target: QuickJSHandle, key: string, maxChars: number): string | undefined {
  const value = env.ops.get(target, key);
  try {
    if (env.vm.typeof(value) !== "string") return undefined;
    const { text, truncated } = env.ops.readString(value, maxChars);
    return truncated ? `${text}…` : text;
  } finally {
    value.dispose();
  }
}
