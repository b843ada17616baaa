import { argJson, argText } from "./api-args.js";
import type { GuestEnv } from "./guest-env.js";
import { type GuestValue, held, object } from "./guest-tree.js";
import { reservedClaimPrefix } from "./mutations.js";
import { jsonBytes, textBytes } from "./result-size.js";
import type { RunState } from "./run-state.js";
import { hasOwn } from "./safe-json.js";

/**
 * `api.v1.claims` and its deprecated twin `api.v1.userinfo` (same functions):
 * `setClaim` ignores ZITADEL's reserved keys and never overwrites, logging
 * `key "<k>" already exists` into the action's log claim instead.
 */
export function claimObjects(env: GuestEnv, state: RunState): { claims: GuestValue; userinfo: GuestValue } {
  const setClaim = env.fn("setClaim", (keyArg, valueArg) => {
    const key = argText(env, keyArg);
    // `__proto__` is ignored like a reserved key: as an own key it would turn into a prototype downstream.
    if (key.startsWith(reservedClaimPrefix) || key === "__proto__") return undefined;
    if (hasOwn(state.knownClaims, key)) {
      appendLog(state, `key ${JSON.stringify(key)} already exists`);
      return undefined;
    }
    const { json, shape } = argJson(env, valueArg, `claim ${JSON.stringify(key.slice(0, 100))}`);
    state.charge(textBytes(key) + jsonBytes(json, shape), "setClaim");
    if (state.claimsObject) {
      env.vm.defineProp(state.claimsObject, key, { value: env.keep(env.ops.parse(json)), enumerable: true, configurable: true });
    }
    state.claims[key] = json;
    state.knownClaims[key] = json;
    return undefined;
  });
  const appendLogIntoClaims = env.fn("appendLogIntoClaims", (entry) => {
    appendLog(state, argText(env, entry));
    return undefined;
  });
  const pair = { setClaim: held(setClaim), appendLogIntoClaims: held(appendLogIntoClaims) };
  return { claims: object(pair), userinfo: object(pair) };
}

function appendLog(state: RunState, entry: string): void {
  state.charge(textBytes(entry), "appendLogIntoClaims");
  state.claimLog.push(entry);
}
