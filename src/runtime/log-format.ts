import type { QuickJSContext, QuickJSHandle } from "quickjs-emscripten";
import { ApiError, GuestThrow } from "./guest-errors.js";
import type { GuestOps } from "./guest-ops.js";

/**
 * `util.format`, lite: `%s %d %i %f %j %o %O %c %%` in a leading string, the
 * other arguments joined by spaces; objects as JSON, errors as
 * `Name: message`. Never produces more than `budget` characters, and never
 * throws for a value it cannot print (a throwing toJSON, a cycle).
 */
export function formatLogArgs(vm: QuickJSContext, ops: GuestOps, args: QuickJSHandle[], budget: number): string {
  let out = "";
  let next = 0;
  const first = args[0];
  if (first && vm.typeof(first) === "string") {
    next = 1;
    const template = ops.readString(first, budget).text;
    out = template.replace(/%[sdifjoOc%]/g, (spec) => {
      if (spec === "%%") return "%";
      const arg = args[next];
      if (!arg) return spec;
      next++;
      return formatSpec(vm, ops, spec, arg, Math.max(0, budget - out.length));
    });
  }
  for (; next < args.length && out.length < budget; next++) {
    const value = args[next] as QuickJSHandle;
    out += (out.length > 0 || next > 0 ? " " : "") + formatValue(vm, ops, value, budget - out.length);
  }
  return out.length > budget ? out.slice(0, budget) : out;
}

function formatSpec(vm: QuickJSContext, ops: GuestOps, spec: string, arg: QuickJSHandle, budget: number): string {
  switch (spec) {
    case "%d":
    case "%i": {
      const n = Number(safeText(ops, arg, 64));
      return String(spec === "%i" ? Math.trunc(n) : n);
    }
    case "%f":
      return String(Number(safeText(ops, arg, 64)));
    case "%j":
      return safeJson(ops, arg, budget) ?? "undefined";
    case "%c":
      return "";
    default:
      return formatValue(vm, ops, arg, budget);
  }
}

function formatValue(vm: QuickJSContext, ops: GuestOps, value: QuickJSHandle, budget: number): string {
  switch (guarded(() => ops.typeOf(value), "object")) {
    case "string":
      return ops.readString(value, budget).text;
    case "number":
      return String(vm.getNumber(value));
    case "boolean":
      return ops.bool(value) ? "true" : "false";
    case "undefined":
      return "undefined";
    case "function":
      return "[Function]";
    case "null":
      return "null";
    case "object":
      if (safeIsError(ops, value)) return safeText(ops, value, budget);
      return safeJson(ops, value, budget) ?? safeText(ops, value, budget);
    default:
      return safeText(ops, value, budget);
  }
}

function safeJson(ops: GuestOps, value: QuickJSHandle, budget: number): string | undefined {
  return guarded<string | undefined>(() => ops.json(value, budget)?.text, undefined);
}

function safeText(ops: GuestOps, value: QuickJSHandle, budget: number): string {
  return guarded(() => ops.text(value, budget), "[unprintable]");
}

function safeIsError(ops: GuestOps, value: QuickJSHandle): boolean {
  return guarded(() => ops.isError(value), false);
}

/**
 * Logging is best effort: a guest exception while printing (even an
 * interrupt, which recurs at the next poll) or a built-in the script broke
 * gives the fallback text.
 */
function guarded<T>(print: () => T, fallback: T): T {
  try {
    return print();
  } catch (error) {
    if (error instanceof GuestThrow) error.handle.dispose();
    else if (!(error instanceof ApiError)) throw error;
    return fallback;
  }
}
