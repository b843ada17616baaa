import type { QuickJSHandle } from "quickjs-emscripten";
import { ApiError } from "./guest-errors.js";
import type { GuestEnv } from "./guest-env.js";
import { newHttpModule } from "./http-module.js";
import { logFunctionsOf, newLogObject } from "./log-functions.js";
import { allModules, type ModuleName } from "./triggers.js";
import { newSecretsModule } from "./secrets-module.js";
import { newUuidModule } from "./uuid-module.js";

/**
 * The only globals added to a bare QuickJS context: `console` and `require`.
 * `require` resolves exactly the trigger's built-in modules, each built once
 * per run on first use, and never touches a filesystem.
 */
export function installGlobals(env: GuestEnv): void {
  const { vm } = env;
  const logFunctions = logFunctionsOf(env);
  const modules = new Map<ModuleName, QuickJSHandle>();

  const require = env.fn("require", (...args) => {
    const requested = args[0] ? env.ops.text(args[0], 200) : "undefined";
    const name = env.trigger.modules.find((m) => m === requested);
    if (!name) throw new ApiError(unknownModuleMessage(requested, env.trigger.modules, env.trigger.title));
    let module = modules.get(name);
    if (!module) {
      module = env.keep(buildModule(env, name, logFunctions));
      modules.set(name, module);
    }
    return module.dup();
  });
  vm.setProp(vm.global, "require", require);

  // Built on first access, since most actions never log and five host functions cost more than
  // the rest of a trivial run's api; then it becomes a plain property, so a logging loop pays no getter.
  let console: QuickJSHandle | undefined;
  const getConsole = env.guard("console", () => {
    if (!console) {
      console = env.keep(newLogObject(env, logFunctions()));
      vm.defineProp(vm.global, "console", { value: console, configurable: true });
    }
    return console.dup();
  });
  vm.defineProp(vm.global, "console", { get: getConsole as (this: QuickJSHandle) => QuickJSHandle, configurable: true });
}

function buildModule(env: GuestEnv, name: ModuleName, logFunctions: ReturnType<typeof logFunctionsOf>): QuickJSHandle {
  switch (name) {
    case "zitadel/http":
      return newHttpModule(env);
    case "zitadel/log":
      return newLogObject(env, logFunctions());
    case "zitadel/uuid":
      return newUuidModule(env);
    case "actiond/secrets":
      return newSecretsModule(env);
  }
}

function unknownModuleMessage(requested: string, available: readonly ModuleName[], title: string): string {
  const allowed = available.map((m) => `"${m}"`).join(", ");
  if (allModules.some((m) => m === requested)) {
    return `module "${requested}" is not available in ${title}; require knows only ${allowed} here`;
  }
  return `module "${requested}" not found: require knows only ${allowed} (there is no filesystem)`;
}
