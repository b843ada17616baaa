import type { QuickJSHandle } from "quickjs-emscripten";
import type { GuestEnv } from "./guest-env.js";

const identifier = /^[A-Za-z_$][\w$]*$/;

export type Lookup = { fn: QuickJSHandle } | { missing: string };

/**
 * The global function named exactly like the action. A top-level
 * `const`/`let`/`class` binding is not a property of the global object, so
 * for a plain identifier the binding is also looked up by evaluating it.
 */
export function findActionFunction(env: GuestEnv, name: string): Lookup {
  const { vm, ops } = env;
  const property = env.keep(ops.get(vm.global, name));
  if (vm.typeof(property) === "function") return { fn: property };
  let found = vm.typeof(property);
  if (found === "undefined" && identifier.test(name)) {
    const binding = vm.evalCode(`typeof ${name} === "undefined" ? undefined : ${name}`, "lookup.js", { type: "global" });
    if (binding.error) {
      binding.error.dispose();
    } else {
      const value = env.keep(binding.value);
      if (vm.typeof(value) === "function") return { fn: value };
      found = vm.typeof(value);
    }
  }
  const detail = found === "undefined" ? "" : ` (the global "${name}" is a ${found})`;
  return {
    missing: `function "${name}" not found: the script must define a global function named exactly like the action${detail}`,
  };
}
