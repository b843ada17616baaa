import type { QuickJSHandle } from "quickjs-emscripten";
import { pushOnto } from "./api-metadata.js";
import { ApiError } from "./guest-errors.js";
import type { GuestEnv } from "./guest-env.js";
import type { UserGrantChange } from "./mutations.js";
import { grantBytes, type RunState } from "./run-state.js";
import { readJson } from "./api-args.js";
import { isJsonObject } from "./safe-json.js";
import type { JsonObject, JsonValue } from "./types.js";

/** `api.userGrants` as ZITADEL exposes its Go slice, `{projectID, projectGrantID, roles}` entries; built on first use. */
export function userGrantsArray(env: GuestEnv, state: RunState): QuickJSHandle {
  if (!state.userGrantsArray) {
    const data: JsonValue[] = state.input.userGrants.map((g) => ({ projectID: g.projectId, projectGrantID: g.projectGrantId, roles: [...g.roles] }));
    state.userGrantsArray = env.keep(env.ops.parse(JSON.stringify(data)));
  }
  return state.userGrantsArray;
}

/** `api.v1.appendUserGrant({projectId|projectID, projectGrantId|projectGrantID, roles})`. */
export function appendUserGrantFunction(env: GuestEnv, state: RunState): QuickJSHandle {
  return env.fn("appendUserGrant", (arg) => {
    const read = arg && readJson(env, arg, "user grant");
    const value = read?.value;
    if (!isJsonObject(value)) throw new ApiError("appendUserGrant expects an object {projectId, projectGrantId, roles}", "TypeError");
    const grant = grantFrom(value);
    if (!grant.projectId) throw new ApiError("projectId not set");
    const bytes = grantBytes([grant]);
    state.charge(bytes, "appendUserGrant");
    state.appended.userGrants += bytes;
    const list = userGrantsArray(env, state);
    const entry = env.ops.parse(
      JSON.stringify({ projectID: grant.projectId, projectGrantID: grant.projectGrantId, roles: grant.roles }),
    );
    try {
      pushOnto(env, list, entry, "api.userGrants");
    } finally {
      entry.dispose();
    }
    return undefined;
  });
}

/** Reads `api.userGrants` back after the run, including entries the script pushed itself. */
export function readUserGrantsArray(env: GuestEnv, list: QuickJSHandle): UserGrantChange[] {
  const entries = readJson(env, list, "api.userGrants", 1)?.value;
  if (!Array.isArray(entries)) throw new ApiError("api.userGrants must stay an array", "TypeError");
  return entries.map((entry, i) => {
    const grant = isJsonObject(entry) ? grantFrom(entry) : undefined;
    if (!grant?.projectId) throw new ApiError(`api.userGrants[${i}]: projectId not set`);
    return grant;
  });
}

function grantFrom(value: JsonObject): UserGrantChange {
  const roles = value.roles;
  return {
    projectId: text(value.projectId ?? value.projectID),
    projectGrantId: text(value.projectGrantId ?? value.projectGrantID),
    // Like ZITADEL, roles that are not strings are dropped.
    roles: Array.isArray(roles) ? roles.filter((r): r is string => typeof r === "string") : [],
  };
}

function text(value: JsonValue | undefined): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return "";
}
