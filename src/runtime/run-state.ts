import type { QuickJSHandle } from "quickjs-emscripten";
import { ApiError } from "./guest-errors.js";
import {
  tokenClaims,
  type CustomAttribute,
  type MetadataChange,
  type Mutations,
  type UserChanges,
  type UserGrantChange,
} from "./mutations.js";
import { emptyTable } from "./safe-json.js";
import type { TriggerContext } from "./trigger-context.js";
import type { JsonValue } from "./types.js";

/**
 * The host side of one run's `api`: the host, not the guest, holds what the
 * script changed, so a script can reach only what the api functions allow.
 * Guest-side lists (`api.metadata`, `api.userGrants`) are read once at the end.
 */
export interface RunState {
  readonly input: Mutations;
  readonly context: TriggerContext;
  readonly actionName: string;
  /** Every claim the script can see (context, earlier actions, this run); decides "already exists". */
  readonly knownClaims: Record<string, JsonValue>;
  readonly claims: Record<string, JsonValue>;
  readonly claimLog: string[];
  user: UserChanges;
  readonly metadataSet: MetadataChange[];
  readonly customAttributes: CustomAttribute[];
  metadataArray?: QuickJSHandle;
  userGrantsArray?: QuickJSHandle;
  /** `ctx.v1.claims`, kept in step with `setClaim`. */
  claimsObject?: QuickJSHandle;
  /** Counts bytes the host keeps for the guest; throws once a run keeps more than its result limit. */
  charge(bytes: number, what: string): void;
}

export function createRunState(input: Mutations, context: TriggerContext, actionName: string, maxBytes: number): RunState {
  const knownClaims = emptyTable<JsonValue>();
  const contextClaims = context.claims ?? {};
  for (const key of Object.keys(contextClaims)) knownClaims[key] = contextClaims[key] ?? null;
  const earlier = tokenClaims(input);
  for (const key of Object.keys(earlier)) knownClaims[key] = earlier[key] ?? null;
  const claims: Record<string, JsonValue> = {};
  for (const key of Object.keys(input.claims)) claims[key] = input.claims[key] ?? null;
  let kept = 0;
  return {
    input,
    context,
    actionName,
    knownClaims,
    claims,
    claimLog: [],
    user: { ...input.user },
    metadataSet: [],
    customAttributes: input.customAttributes.map((a) => ({ ...a, values: [...a.values] })),
    charge(bytes, what) {
      kept += bytes;
      if (kept > maxBytes) throw new ApiError(`${what}: the run keeps more than ${maxBytes} bytes of changes`, "RangeError");
    },
  };
}

/** The mutations after a successful run; `lists` reads the guest-side lists when the trigger has them. */
export function finishMutations(
  state: RunState,
  lists: { metadata?: MetadataChange[]; userGrants?: UserGrantChange[] },
): Mutations {
  const { input } = state;
  const claimLogs = input.claimLogs.map((log) => ({ action: log.action, entries: [...log.entries] }));
  if (state.claimLog.length > 0) {
    // ZITADEL sets the log claim after the run, replacing an earlier one of the same name.
    const index = claimLogs.findIndex((log) => log.action === state.actionName);
    const log = { action: state.actionName, entries: [...state.claimLog] };
    if (index >= 0) claimLogs[index] = log;
    else claimLogs.push(log);
  }
  return {
    claims: state.claims,
    claimLogs,
    user: { ...state.user },
    metadata: lists.metadata ?? [...input.metadata.map((m) => ({ ...m })), ...state.metadataSet],
    userGrants: lists.userGrants ?? input.userGrants.map((g) => ({ ...g, roles: [...g.roles] })),
    customAttributes: state.customAttributes,
  };
}
