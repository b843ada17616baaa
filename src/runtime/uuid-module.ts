import type { QuickJSHandle } from "quickjs-emscripten";
import { ApiError } from "./guest-errors.js";
import type { GuestEnv } from "./guest-env.js";
import { build, data, type GuestValue, held, object } from "./guest-tree.js";
import { readJson } from "./api-args.js";
import { parseUuid, uuidFromName, uuidNamespaces, uuidV1, uuidV4 } from "./uuid.js";

/** `require("zitadel/uuid")`: v1/v3/v4/v5 returning strings, plus the name-space constants. */
export function newUuidModule(env: GuestEnv): QuickJSHandle {
  const { vm } = env;
  const entries: Record<string, GuestValue> = {
    v1: held(env.fn("v1", () => vm.newString(uuidV1(env.host.now?.() ?? Date.now())))),
    v4: held(env.fn("v4", () => vm.newString(env.host.uuid?.() ?? uuidV4()))),
  };
  for (const version of [3, 5] as const) {
    const name = `v${version}`;
    entries[name] = held(
      env.fn(name, (...args) => {
        if (args.length !== 2) throw new ApiError(`${name} expects exactly 2 arguments (namespace, data)`);
        const namespace = bytesOf(env, args[0] as QuickJSHandle, "namespace");
        if (namespace.length !== 16) throw new ApiError(`${name}: namespace must be a UUID`, "TypeError");
        return vm.newString(uuidFromName(version, namespace, bytesOf(env, args[1] as QuickJSHandle, "data")));
      }),
    );
  }
  for (const [name, value] of Object.entries(uuidNamespaces)) entries[name] = data(value);
  return build(env, object(entries));
}

/** A UUID string, a plain string (UTF-8) or an array of byte values, as the Go module accepts. */
function bytesOf(env: GuestEnv, value: QuickJSHandle, what: "namespace" | "data"): Uint8Array {
  const parsed = readJson(env, value, what)?.value;
  if (typeof parsed === "string") {
    return what === "namespace" ? (parseUuid(parsed) ?? new Uint8Array()) : Buffer.from(parsed, "utf8");
  }
  if (Array.isArray(parsed) && parsed.every((b) => typeof b === "number" && Number.isInteger(b) && b >= 0 && b <= 255)) {
    return Uint8Array.from(parsed as number[]);
  }
  throw new ApiError(`${what} must be a string or an array of bytes`, "TypeError");
}
