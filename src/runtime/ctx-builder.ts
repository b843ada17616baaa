import type { QuickJSHandle } from "quickjs-emscripten";
import { argText } from "./api-args.js";
import type { GuestEnv } from "./guest-env.js";
import { build, data, defineOnEach, type GuestValue, held, lazy, newLazyObject, object } from "./guest-tree.js";
import { metadataResult, userGrantsView } from "./metadata-view.js";
import { knownClaimsJson, type RunState } from "./run-state.js";
import { hasOwn } from "./safe-json.js";
import type { MetadataContext } from "./trigger-context.js";
import type { JsonObject, JsonValue } from "./types.js";
import { externalUserView, userView } from "./user-view.js";

/**
 * `ctx` for the run's trigger (docs/wire-contract.md, Triggers). `ctx.v1` is built on first
 * access; getters answer fresh objects on every call, as ZITADEL's do, and
 * the data reflects the mutations of earlier actions.
 */
export function buildCtx(env: GuestEnv, state: RunState): QuickJSHandle {
  switch (env.trigger.kind) {
    case "external-post-authentication":
      return newLazyObject(env, { ...legacyTokenFields(env, state), v1: lazy(() => externalV1(env, state)) });
    case "internal-post-authentication":
      return newLazyObject(env, { v1: lazy(() => internalV1(env, state)) });
    case "pre-creation":
      return newLazyObject(env, { v1: lazy(() => creationV1(env, state, "pre")) });
    case "post-creation":
      return newLazyObject(env, { v1: lazy(() => creationV1(env, state, "post")) });
    case "complement-token":
      return newLazyObject(env, { v1: lazy(() => complementV1(env, state, true)) });
    case "complement-saml":
      return newLazyObject(env, { v1: lazy(() => complementV1(env, state, false)) });
  }
}

function requestFields(state: RunState): Record<string, GuestValue> {
  return { authRequest: data(state.context.authRequest ?? null), httpRequest: data(state.context.httpRequest ?? null) };
}

function externalV1(env: GuestEnv, state: RunState): QuickJSHandle {
  const c = state.context;
  return build(
    env,
    object({
      externalUser: data(externalUserView(c.externalUser, state.input.user)),
      providerInfo: data(c.providerInfo ?? null),
      ...requestFields(state),
      authError: data(c.authError ?? "none"),
      org: orgObject(env, c.orgMetadata),
    }),
  );
}

function internalV1(env: GuestEnv, state: RunState): QuickJSHandle {
  const c = state.context;
  return build(env, object({ authMethod: data(c.authMethod ?? ""), authError: data(c.authError ?? "none"), ...requestFields(state) }));
}

function creationV1(env: GuestEnv, state: RunState, when: "pre" | "post"): QuickJSHandle {
  const c = state.context;
  const user: Record<string, GuestValue> =
    when === "pre" ? { user: data(userView(c.user, state.input.user)) } : { getUser: getUser(env, state) };
  return build(env, object({ ...user, ...requestFields(state), org: orgObject(env, c.orgMetadata) }));
}

/** Complement Token and SAML: the fetched user, its metadata (with this flow's `setMetadata`), grants, org metadata. */
function complementV1(env: GuestEnv, state: RunState, token: boolean): QuickJSHandle {
  const c = state.context;
  const userMetadata = env.fn("getMetadata", () =>
    fresh(env, metadataResult(c.userMetadata, [...state.input.metadata, ...state.metadataSet])),
  );
  const grants = build(env, data(userGrantsView(c.userGrants)));
  const grantList = env.keep(env.ops.get(grants, "grants"));
  defineOnEach(env, grantList, c.userGrants?.length ?? 0, "getOrgMetadata", (i) =>
    env.fn("getOrgMetadata", () => fresh(env, metadataResult(c.userGrants?.[i]?.orgMetadata))),
  );
  const v1: Record<string, GuestValue> = {
    getUser: getUser(env, state),
    user: object({ getMetadata: held(userMetadata), grants: held(grants) }),
    org: orgObject(env, c.orgMetadata),
  };
  if (!token) return build(env, object(v1));
  state.claimsObject = env.keep(env.ops.parse(knownClaimsJson(state)));
  const getClientId = env.fn("getClientId", () => env.vm.newString(c.clientId ?? ""));
  return build(env, object({ claims: held(state.claimsObject), ...v1, application: object({ getClientId: held(getClientId) }) }));
}

function getUser(env: GuestEnv, state: RunState): GuestValue {
  const json = JSON.stringify(userView(state.context.user));
  return held(env.fn("getUser", () => env.ops.parse(json)));
}

function orgObject(env: GuestEnv, entries: MetadataContext[] | undefined): GuestValue {
  return object({ getMetadata: held(env.fn("getMetadata", () => fresh(env, metadataResult(entries)))) });
}

/** The legacy top-level fields of External Authentication's Post Authentication, over the IdP's tokens. */
function legacyTokenFields(env: GuestEnv, state: RunState) {
  const c = state.context;
  const claims = c.idTokenClaims ?? {};
  const getClaim = env.fn("getClaim", (key) => {
    const name = argText(env, key);
    return fresh(env, hasOwn(claims, name) ? (claims[name] ?? null) : null);
  });
  const claimsJSON = env.fn("claimsJSON", () => env.vm.newString(JSON.stringify(claims)));
  return {
    accessToken: { value: env.keep(env.vm.newString(c.accessToken ?? "")) },
    idToken: { value: env.keep(env.vm.newString(c.idToken ?? "")) },
    refreshToken: { value: env.keep(env.vm.newString(c.refreshToken ?? "")) },
    getClaim: { value: getClaim },
    claimsJSON: { value: claimsJSON },
  };
}

function fresh(env: GuestEnv, value: JsonValue | JsonObject): QuickJSHandle {
  return env.ops.parse(JSON.stringify(value));
}
