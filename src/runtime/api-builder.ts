import type { QuickJSHandle } from "quickjs-emscripten";
import { setCustomAttributeFunction } from "./api-attributes.js";
import { claimObjects } from "./api-claims.js";
import { appendUserGrantFunction, userGrantsArray } from "./api-grants.js";
import { appendMetadataFunction, metadataArray, setMetadataFunction } from "./api-metadata.js";
import { userSetters } from "./api-user-setters.js";
import type { GuestEnv } from "./guest-env.js";
import { build, held, lazy, type LazyEntry, newLazyObject, object } from "./guest-tree.js";
import type { RunState } from "./run-state.js";

/** `api` for the run's trigger (docs/wire-contract.md, Triggers); what it changes lands in the run state. Sections build on first access. */
export function buildApi(env: GuestEnv, state: RunState): QuickJSHandle {
  switch (env.trigger.kind) {
    case "external-post-authentication":
      return withMetadataList(env, state, setters(env, state, "external"));
    case "pre-creation":
      return withMetadataList(env, state, setters(env, state, "pre-creation"));
    case "internal-post-authentication":
      return withMetadataList(env, state, {});
    case "post-creation":
      return newLazyObject(env, {
        userGrants: lazy(() => userGrantsArray(env, state).dup()),
        v1: lazy(() => build(env, object({ appendUserGrant: held(appendUserGrantFunction(env, state)) }))),
      });
    case "complement-token":
      return newLazyObject(env, {
        v1: lazy(() =>
          build(env, object({ ...claimObjects(env, state), user: object({ setMetadata: held(setMetadataFunction(env, state)) }) })),
        ),
      });
    case "complement-saml":
      return newLazyObject(env, {
        v1: lazy(() =>
          build(
            env,
            object({
              attributes: object({ setCustomAttribute: held(setCustomAttributeFunction(env, state)) }),
              user: object({ setMetadata: held(setMetadataFunction(env, state)) }),
            }),
          ),
        ),
      });
  }
}

function setters(env: GuestEnv, state: RunState, kind: "external" | "pre-creation"): Record<string, LazyEntry> {
  return Object.fromEntries(Object.entries(userSetters(env, state, kind)).map(([name, fn]) => [name, { value: fn }]));
}

/** Flows 1 and 3 share one metadata list between `api.metadata` and `api.v1.user.appendMetadata`. */
function withMetadataList(env: GuestEnv, state: RunState, entries: Record<string, LazyEntry>): QuickJSHandle {
  return newLazyObject(env, {
    ...entries,
    metadata: lazy(() => metadataArray(env, state).dup()),
    v1: lazy(() => build(env, object({ user: object({ appendMetadata: held(appendMetadataFunction(env, state)) }) }))),
  });
}
