import type { QuickJSHandle } from "quickjs-emscripten";
import type { GuestEnv } from "./guest-env.js";
import { build, held, object } from "./guest-tree.js";
import { formatLogArgs } from "./log-format.js";
import type { LogLevel } from "./types.js";

const levels = { log: "info", info: "info", debug: "debug", warn: "warn", error: "error" } as const satisfies Record<string, LogLevel>;
export type LogFunctionName = keyof typeof levels;

/**
 * The functions behind both the global `console` and `require("zitadel/log")`;
 * made once per run, on first use, and shared by the two.
 */
export function logFunctionsOf(env: GuestEnv): () => Record<LogFunctionName, QuickJSHandle> {
  let made: Record<LogFunctionName, QuickJSHandle> | undefined;
  return () => {
    made ??= Object.fromEntries(
      (Object.keys(levels) as LogFunctionName[]).map((name) => [name, logFunction(env, name, levels[name])]),
    ) as Record<LogFunctionName, QuickJSHandle>;
    return made;
  };
}

/** Puts the log functions onto a fresh guest object: a `console`, or the `zitadel/log` module. */
export function newLogObject(env: GuestEnv, functions: Record<LogFunctionName, QuickJSHandle>): QuickJSHandle {
  return build(env, object(Object.fromEntries(Object.entries(functions).map(([name, fn]) => [name, held(fn)]))));
}

function logFunction(env: GuestEnv, name: string, level: LogLevel): QuickJSHandle {
  return env.fn(name, (...args) => {
    if (env.logs.isFull()) {
      env.logs.add(level, "");
      return undefined;
    }
    // One character more than fits lets the sink notice and mark the cut.
    env.logs.add(level, formatLogArgs(env.vm, env.ops, args, env.logs.remainingChars() + 1));
    return undefined;
  });
}
