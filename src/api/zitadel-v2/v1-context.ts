import type { HumanContext, MetadataContext, UserContext, UserGrantContext } from "../../runtime/index.js";
import { defined } from "./defined.js";
import { storedTextFromBase64 } from "./metadata-bytes.js";
import type { PayloadReader } from "./payload-reader.js";

/**
 * The parts of a v1 trigger context built from ZITADEL's Go structs
 * (query.User, query.UserMetadata, query.UserGrant), which v2 sends in
 * snake_case, into the camelCase shapes of src/runtime/CONTEXT.md
 * (docs/zitadel-v2-target.md, Context mapping). Names are normalized keys
 * (payload-reader.ts). Fields v1 has no place for (`type`,
 * `password_changed`, `encoded_hash` …) are left out.
 */
export function userFrom(user: PayloadReader): UserContext {
  const human = user.object("human");
  const machine = user.object("machine");
  return defined({
    id: user.string("id"),
    creationDate: user.string("creationdate"),
    changeDate: user.string("changedate"),
    resourceOwner: user.string("resourceowner"),
    sequence: user.integer("sequence"),
    state: user.integer("state"),
    username: user.string("username"),
    loginNames: user.strings("loginnames"),
    preferredLoginName: user.string("preferredloginname"),
    human: human && humanFrom(human),
    machine: machine && defined({ name: machine.string("name"), description: machine.string("description") }),
  });
}

function humanFrom(human: PayloadReader): HumanContext {
  return defined({
    firstName: human.string("firstname"),
    lastName: human.string("lastname"),
    nickName: human.string("nickname"),
    displayName: human.string("displayname"),
    avatarKey: human.string("avatarkey"),
    preferredLanguage: human.string("preferredlanguage"),
    gender: human.integer("gender"),
    email: human.string("email"),
    isEmailVerified: human.boolean("isemailverified"),
    phone: human.string("phone"),
    isPhoneVerified: human.boolean("isphoneverified"),
  });
}

/** A metadata entry: the base64 `value` becomes the stored text, which the script reads parsed when it is JSON. */
export function metadataFrom(entry: PayloadReader): MetadataContext {
  const valueKey = entry.keyOf("value") ?? "value";
  return defined({
    key: entry.string("key") ?? "",
    value: storedTextFromBase64(entry.string("value") ?? "", entry.at(valueKey)),
    creationDate: entry.string("creationdate"),
    changeDate: entry.string("changedate"),
    resourceOwner: entry.string("resourceowner"),
    sequence: entry.integer("sequence"),
  });
}

/**
 * A user grant. v1 renamed three of query.UserGrant's fields for scripts:
 * GrantID → projectGrantId, ResourceOwner → userGrantResourceOwner,
 * OrgName → userGrantResourceOwnerName; the v1 names are accepted as well.
 */
export function userGrantFrom(grant: PayloadReader): UserGrantContext {
  return defined({
    id: grant.string("id"),
    projectGrantId: grant.string("grantid", "projectgrantid"),
    state: grant.integer("state"),
    userGrantResourceOwner: grant.string("resourceowner", "usergrantresourceowner"),
    userGrantResourceOwnerName: grant.string("orgname", "usergrantresourceownername"),
    creationDate: grant.string("creationdate"),
    changeDate: grant.string("changedate"),
    sequence: grant.integer("sequence"),
    userId: grant.string("userid"),
    userResourceOwner: grant.string("userresourceowner"),
    roles: grant.strings("roles"),
    projectId: grant.string("projectid"),
    projectName: grant.string("projectname"),
  });
}
