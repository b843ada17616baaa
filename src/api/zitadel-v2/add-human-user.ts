import type { JsonObject, Mutations, UserChanges, UserContext } from "../../runtime/index.js";
import { defined } from "./defined.js";
import { genderNames, genderNumber } from "./gender.js";
import { base64FromStoredText } from "./metadata-bytes.js";
import { isObject, type PayloadReader } from "./payload-reader.js";
import { keyFor, removeField, repeatedField, setField, subMessage } from "./request-fields.js";

/**
 * v1 Pre Creation's `ctx.v1.user` from a zitadel.user.v2.AddHumanUserRequest
 * in protojson (docs/zitadel-v2-target.md, AddHumanUser). Without a username
 * ZITADEL uses the email, so the script sees that. Nothing is known yet of
 * the dates, sequence, state or login names of a user about to be created.
 */
export function preCreationUserFrom(request: PayloadReader, orgId: string | undefined): UserContext {
  const profile = request.object("profile");
  const email = request.object("email");
  const phone = request.object("phone");
  const address = email?.string("email");
  return defined({
    id: request.string("userid"),
    resourceOwner: orgId,
    username: request.string("username") ?? address,
    human: defined({
      firstName: profile?.string("givenname"),
      lastName: profile?.string("familyname"),
      nickName: profile?.string("nickname"),
      displayName: profile?.string("displayname"),
      preferredLanguage: profile?.string("preferredlanguage"),
      gender: profile && genderNumber(profile),
      email: address,
      isEmailVerified: email?.boolean("isverified"),
      phone: phone?.string("phone"),
      isPhoneVerified: phone?.boolean("isverified"),
    }),
  });
}

export interface AddHumanUserAnswer {
  /** The whole request with the changes applied: v2 replaces the request with it. */
  request: JsonObject;
  /** Changes the request has no place for, one line each, for the log. */
  notApplied: string[];
}

const profileFields: readonly [keyof UserChanges, string][] = [
  ["firstName", "givenName"],
  ["lastName", "familyName"],
  ["nickName", "nickName"],
  ["displayName", "displayName"],
  ["preferredLanguage", "preferredLanguage"],
];

/**
 * Applies what the Pre Creation actions changed to the request
 * (docs/zitadel-v2-target.md, AddHumanUser). Fields actiond does not know
 * stay as they were; the input is not modified.
 */
export function v1MutationsToAddHumanUserRequest(request: JsonObject, mutations: Mutations): AddHumanUserAnswer {
  const out = structuredClone(request);
  const changes = mutations.user;
  if (changes.username !== undefined) setField(out, "username", changes.username);
  for (const [change, field] of profileFields) {
    const value = changes[change];
    if (value !== undefined) setField(subMessage(out, "profile"), field, value);
  }
  if (changes.gender !== undefined) setField(subMessage(out, "profile"), "gender", genderNames[changes.gender] ?? genderNames[0]);
  if (changes.email !== undefined) setField(subMessage(out, "email"), "email", changes.email);
  if (changes.emailVerified !== undefined) setVerified(out, "email", changes.emailVerified);
  applyPhone(out, changes);
  const metadata = mutations.metadata.map((m) => ({ key: m.key, value: base64FromStoredText(m.value) }));
  if (metadata.length > 0) repeatedField(out, "metadata").push(...metadata);
  return { request: out, notApplied: notApplied(mutations) };
}

/**
 * `isVerified` is one case of the email's (phone's) verification oneof:
 * setting it drops `sendCode`/`returnCode`; unsetting it leaves ZITADEL's
 * default, a code sent to the user.
 */
function setVerified(request: JsonObject, field: "email" | "phone", verified: boolean): void {
  if (verified) {
    const message = subMessage(request, field);
    removeField(message, "sendCode");
    removeField(message, "returnCode");
    setField(message, "isVerified", true);
    return;
  }
  const message = request[keyFor(request, field)];
  if (isObject(message)) removeField(message, "isVerified");
}

/** An empty number means no phone: the request then carries none (docs/zitadel-v2-target.md, AddHumanUser). */
function applyPhone(request: JsonObject, changes: UserChanges): void {
  if (changes.phone === "") {
    removeField(request, "phone");
    return;
  }
  if (changes.phone !== undefined) setField(subMessage(request, "phone"), "phone", changes.phone);
  if (changes.phoneVerified !== undefined) setVerified(request, "phone", changes.phoneVerified);
}

function notApplied(mutations: Mutations): string[] {
  const lines: string[] = [];
  if (mutations.userGrants.length > 0) {
    lines.push(`${mutations.userGrants.length} user grant(s) dropped: AddHumanUserRequest has no field for grants`);
  }
  if (mutations.user.preferredUsername !== undefined) {
    lines.push("preferred username dropped: AddHumanUserRequest has no field for it");
  }
  return lines;
}
