import type { QuickJSHandle } from "quickjs-emscripten";
import { argJson, argKey, readJson } from "./api-args.js";
import { ApiError } from "./guest-errors.js";
import type { GuestEnv } from "./guest-env.js";
import { decodeMetadataValue } from "./metadata-view.js";
import type { MetadataChange } from "./mutations.js";
import { textBytes } from "./result-size.js";
import type { RunState } from "./run-state.js";
import { isJsonObject } from "./safe-json.js";
import type { JsonValue } from "./types.js";

const twoArgs = "exactly 2 (key, value) arguments expected";

/**
 * The deprecated `api.metadata` array of flows 1 and 3: the metadata so far,
 * values decoded; built on first use by the accessor or by `appendMetadata`.
 */
export function metadataArray(env: GuestEnv, state: RunState): QuickJSHandle {
  if (!state.metadataArray) {
    const data: JsonValue[] = state.input.metadata.map((m) => ({ key: m.key, value: decodeMetadataValue(m.value) }));
    state.metadataArray = env.keep(env.ops.parse(JSON.stringify(data)));
  }
  return state.metadataArray;
}

/** `api.v1.user.appendMetadata(key, value)`: pushes `{key, value}` onto `api.metadata`, as ZITADEL's shared list. */
export function appendMetadataFunction(env: GuestEnv, state: RunState): QuickJSHandle {
  return env.fn("appendMetadata", (...args) => {
    if (args.length !== 2) throw new ApiError(twoArgs);
    const key = argKey(env, args[0], "metadata key");
    const { json } = argJson(env, args[1], `metadata ${JSON.stringify(key.slice(0, 100))}`);
    const bytes = textBytes(key, json);
    state.charge(bytes, "appendMetadata");
    state.appended.metadata += bytes;
    const list = metadataArray(env, state);
    const entry = env.ops.parse(JSON.stringify({ key }));
    try {
      env.ops.set(entry, "value", args[1] as QuickJSHandle);
      pushOnto(env, list, entry, "api.metadata");
    } finally {
      entry.dispose();
    }
    return undefined;
  });
}

/** `api.v1.user.setMetadata(key, value)` of flows 2 and 4; ZITADEL persists it at once, here it joins the mutations. */
export function setMetadataFunction(env: GuestEnv, state: RunState): QuickJSHandle {
  return env.fn("setMetadata", (...args) => {
    if (args.length !== 2) throw new ApiError(twoArgs);
    const key = argKey(env, args[0], "metadata key");
    const { json } = argJson(env, args[1], `metadata ${JSON.stringify(key.slice(0, 100))}`);
    state.charge(textBytes(key, json), "setMetadata");
    state.metadataSet.push({ key, value: json });
    return undefined;
  });
}

/** Reads `api.metadata` back after the run; each value is JSON-encoded as ZITADEL stores it. */
export function readMetadataArray(env: GuestEnv, list: QuickJSHandle): MetadataChange[] {
  // The list and its entries wrap each value: two levels.
  const entries = readJson(env, list, "api.metadata", 2)?.value;
  if (!Array.isArray(entries)) throw new ApiError("api.metadata must stay an array", "TypeError");
  return entries.map((entry, i) => {
    if (!isJsonObject(entry) || typeof entry.key !== "string") {
      throw new ApiError(`api.metadata[${i}] must be an object {key: string, value}`, "TypeError");
    }
    return { key: entry.key, value: JSON.stringify(entry.value ?? null) };
  });
}

/** Appends through guest `Reflect.set`, so whatever the script did to the array cannot corrupt the host. */
export function pushOnto(env: GuestEnv, list: QuickJSHandle, entry: QuickJSHandle, what: string): void {
  const lengthHandle = env.ops.get(list, "length");
  const length = env.vm.typeof(lengthHandle) === "number" ? env.vm.getNumber(lengthHandle) : 0;
  lengthHandle.dispose();
  if (!env.ops.set(list, length, entry)) throw new ApiError(`${what} cannot be extended`, "TypeError");
}
