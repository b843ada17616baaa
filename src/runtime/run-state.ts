import type { QuickJSHandle } from "quickjs-emscripten";
import {
  claimLogKey,
  type CustomAttribute,
  type MetadataChange,
  type PackedMutations,
  type UserChanges,
  type UserGrantChange,
} from "./mutations.js";
import type { ResultBudget } from "./result-budget.js";
import { textBytes } from "./result-size.js";
import { emptyTable } from "./safe-json.js";
import type { TriggerContext } from "./trigger-context.js";

/**
 * The host side of one run's `api`: the host, not the guest, holds what the
 * script changed, so a script can reach only what the api functions allow.
 * Guest-side lists (`api.metadata`, `api.userGrants`) are read once at the end.
 */
export interface RunState {
  readonly input: PackedMutations;
  readonly context: TriggerContext;
  readonly actionName: string;
  /** Every claim the script can see (context, earlier actions, this run), as JSON text; decides "already exists". */
  readonly knownClaims: Record<string, string>;
  /** The claims of earlier actions and this run, as JSON text. */
  readonly claims: Record<string, string>;
  readonly claimLog: string[];
  user: UserChanges;
  readonly metadataSet: MetadataChange[];
  readonly customAttributes: CustomAttribute[];
  metadataArray?: QuickJSHandle;
  userGrantsArray?: QuickJSHandle;
  /** `ctx.v1.claims`, kept in step with `setClaim`. */
  claimsObject?: QuickJSHandle;
  /** Bytes the appends to `api.metadata` and `api.userGrants` charged already. */
  readonly appended: { metadata: number; userGrants: number };
  /** Counts the bytes the run keeps for the guest (result-size.ts); throws once they pass the run's or the execution's cap. */
  charge(bytes: number, what: string): void;
}

export function createRunState(input: PackedMutations, context: TriggerContext, actionName: string, budget: ResultBudget): RunState {
  const knownClaims = emptyTable<string>();
  const contextClaims = context.claims ?? {};
  for (const key of Object.keys(contextClaims)) knownClaims[key] = JSON.stringify(contextClaims[key] ?? null);
  for (const key of Object.keys(input.claims)) knownClaims[key] = input.claims[key] ?? "null";
  for (const log of input.claimLogs) knownClaims[claimLogKey(log.action)] = JSON.stringify(log.entries);
  return {
    input,
    context,
    actionName,
    knownClaims,
    claims: { ...input.claims },
    claimLog: [],
    user: { ...input.user },
    metadataSet: [],
    customAttributes: [...input.customAttributes],
    appended: { metadata: 0, userGrants: 0 },
    charge(bytes, what) {
      budget.charge(bytes, what);
    },
  };
}

/** `ctx.v1.claims` as one JSON text, for one guest `JSON.parse`. */
export function knownClaimsJson(state: RunState): string {
  return `{${Object.keys(state.knownClaims)
    .map((key) => `${JSON.stringify(key)}:${state.knownClaims[key]}`)
    .join(",")}}`;
}

/**
 * The mutations after a successful run; `lists` reads the guest-side lists
 * when the trigger has them. What the script put into those lists by hand,
 * past the api functions, is charged here.
 */
export function finishMutations(
  state: RunState,
  lists: { metadata?: MetadataChange[]; userGrants?: UserGrantChange[] },
): PackedMutations {
  const { input } = state;
  if (lists.metadata) chargeGrowth(state, "api.metadata", metadataBytes(input.metadata) + state.appended.metadata, metadataBytes(lists.metadata));
  if (lists.userGrants) {
    chargeGrowth(state, "api.userGrants", grantBytes(input.userGrants) + state.appended.userGrants, grantBytes(lists.userGrants));
  }
  const claimLogs = [...input.claimLogs];
  if (state.claimLog.length > 0) {
    // ZITADEL sets the log claim after the run, replacing an earlier one of the same name.
    const index = claimLogs.findIndex((log) => log.action === state.actionName);
    const log = { action: state.actionName, entries: state.claimLog };
    if (index >= 0) claimLogs[index] = log;
    else claimLogs.push(log);
  }
  return {
    claims: state.claims,
    claimLogs,
    user: state.user,
    metadata: lists.metadata ?? [...input.metadata, ...state.metadataSet],
    userGrants: lists.userGrants ?? input.userGrants,
    customAttributes: state.customAttributes,
  };
}

export function metadataBytes(entries: readonly MetadataChange[]): number {
  return entries.reduce((n, m) => n + textBytes(m.key, m.value), 0);
}

export function grantBytes(grants: readonly UserGrantChange[]): number {
  return grants.reduce((n, g) => n + textBytes(g.projectId, g.projectGrantId, ...g.roles), 0);
}

function chargeGrowth(state: RunState, what: string, charged: number, now: number): void {
  if (now > charged) state.charge(now - charged, what);
}
