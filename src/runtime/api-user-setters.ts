import type { QuickJSHandle } from "quickjs-emscripten";
import { argText, argTruthy } from "./api-args.js";
import { ApiError } from "./guest-errors.js";
import type { GuestEnv } from "./guest-env.js";
import { textBytes } from "./result-size.js";
import type { RunState } from "./run-state.js";

type Setter = (env: GuestEnv, state: RunState, value: Parameters<typeof argText>[1]) => void;

const text = (field: "firstName" | "lastName" | "nickName" | "displayName" | "email" | "phone" | "username" | "preferredUsername"): Setter =>
  (env, state, value) => {
    const given = argText(env, value);
    state.charge(textBytes(given), field);
    state.user = { ...state.user, [field]: given };
  };

const setters: Record<string, Setter> = {
  setFirstName: text("firstName"),
  setLastName: text("lastName"),
  setNickName: text("nickName"),
  setDisplayName: text("displayName"),
  setPreferredLanguage: (env, state, value) => {
    state.user = { ...state.user, preferredLanguage: canonicalLanguage(argText(env, value)) };
  },
  setPreferredUsername: text("preferredUsername"),
  setUsername: text("username"),
  setEmail: text("email"),
  setPhone: text("phone"),
  setEmailVerified: (env, state, value) => {
    state.user = { ...state.user, emailVerified: argTruthy(env, value) };
  },
  setPhoneVerified: (env, state, value) => {
    state.user = { ...state.user, phoneVerified: argTruthy(env, value) };
  },
  setGender: (env, state, value) => {
    const gender = Number(argText(env, value) || 0);
    if (!Number.isInteger(gender) || gender < 0 || gender > 3) {
      throw new ApiError("gender must be 0 (unspecified), 1 (female), 2 (male) or 3 (diverse)", "TypeError");
    }
    state.user = { ...state.user, gender };
  },
};

const external = [
  "setFirstName",
  "setLastName",
  "setNickName",
  "setDisplayName",
  "setPreferredLanguage",
  "setPreferredUsername",
  "setEmail",
  "setEmailVerified",
  "setPhone",
  "setPhoneVerified",
];
const preCreation = [...external.filter((name) => name !== "setPreferredUsername"), "setGender", "setUsername"];

/**
 * The top-level setters of `api`: External Authentication's Post
 * Authentication changes the external user, Pre Creation the user about to
 * be created. Later actions see the values through `ctx`.
 */
export function userSetters(env: GuestEnv, state: RunState, kind: "external" | "pre-creation"): Record<string, QuickJSHandle> {
  const functions: Record<string, QuickJSHandle> = {};
  for (const name of kind === "external" ? external : preCreation) {
    functions[name] = env.fn(name, (value) => {
      if (kind === "pre-creation" && !hasContact(state, name)) return undefined;
      (setters[name] as Setter)(env, state, value);
      return undefined;
    });
  }
  return functions;
}

/** Pre Creation ignores a verified flag while the user has no email (phone) at all, as ZITADEL's nil check does. */
function hasContact(state: RunState, setter: string): boolean {
  const human = state.context.user?.human;
  if (setter === "setEmailVerified") return Boolean(state.user.email ?? human?.email);
  if (setter === "setPhoneVerified") return Boolean(state.user.phone ?? human?.phone);
  return true;
}

/** Like Go's `language.Make`: a canonical BCP 47 tag, "und" when it is none. */
function canonicalLanguage(tag: string): string {
  try {
    return Intl.getCanonicalLocales(tag)[0] ?? "und";
  } catch {
    return "und";
  }
}
