import type { QuickJSHandle } from "quickjs-emscripten";
import { argText } from "./api-args.js";
import type { GuestEnv } from "./guest-env.js";
import { textBytes } from "./result-size.js";
import type { RunState } from "./run-state.js";

/** `api.v1.attributes.setCustomAttribute(name, nameFormat, ...values)`: the first set of a name wins. */
export function setCustomAttributeFunction(env: GuestEnv, state: RunState): QuickJSHandle {
  return env.fn("setCustomAttribute", (nameArg, formatArg, ...valueArgs) => {
    const name = argText(env, nameArg);
    if (state.customAttributes.some((a) => a.name === name)) return undefined;
    const nameFormat = argText(env, formatArg);
    const values = valueArgs.map((v) => argText(env, v));
    state.charge(textBytes(name, nameFormat, ...values), "setCustomAttribute");
    state.customAttributes.push({ name, nameFormat, values });
    return undefined;
  });
}
