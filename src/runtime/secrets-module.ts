import type { QuickJSHandle } from "quickjs-emscripten";
import type { GuestEnv } from "./guest-env.js";
import { build, held, object } from "./guest-tree.js";

/** Longer than any secret's name: a longer argument names none, and is not read whole. */
const maxNameChars = 100;

/**
 * `require("actiond/secrets")`: `get(name)` answers the run's own org's value
 * of that name as a string, or undefined. The host opened the values for this
 * run and sent them with it; the runtime neither stores nor logs them.
 */
export function newSecretsModule(env: GuestEnv): QuickJSHandle {
  const { vm } = env;
  const get = env.fn("get", (...args) => {
    const name = args[0] ? env.ops.text(args[0], maxNameChars) : "";
    const value = Object.hasOwn(env.secrets, name) ? env.secrets[name] : undefined;
    return value === undefined ? vm.undefined : vm.newString(value);
  });
  return build(env, object({ get: held(get) }));
}
