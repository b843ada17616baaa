import type { UserChanges } from "./mutations.js";
import type { ExternalUserContext, HumanContext, UserContext } from "./trigger-context.js";
import type { JsonObject } from "./types.js";

/**
 * The user objects a script sees, filled with Go zero values like ZITADEL's
 * structs and with the setters of earlier actions already applied, so a later
 * action reads what an earlier one set.
 */
export function userView(user: UserContext | undefined, changes: UserChanges = {}): JsonObject {
  const view: JsonObject = {
    id: user?.id ?? "",
    creationDate: user?.creationDate ?? "",
    changeDate: user?.changeDate ?? "",
    resourceOwner: user?.resourceOwner ?? "",
    sequence: user?.sequence ?? 0,
    state: user?.state ?? 0,
    username: changes.username ?? user?.username ?? "",
    loginNames: [...(user?.loginNames ?? [])],
    preferredLoginName: user?.preferredLoginName ?? "",
  };
  if (user?.machine && !user.human) {
    view.machine = { name: user.machine.name ?? "", description: user.machine.description ?? "" };
  } else {
    view.human = humanView(user?.human, changes);
  }
  return view;
}

export function externalUserView(user: ExternalUserContext | undefined, changes: UserChanges = {}): JsonObject {
  return {
    externalId: user?.externalId ?? "",
    externalIdpId: user?.externalIdpId ?? "",
    preferredUsername: changes.preferredUsername ?? user?.preferredUsername ?? "",
    human: humanView(user?.human, changes),
  };
}

function humanView(human: HumanContext | undefined, changes: UserChanges): JsonObject {
  return {
    firstName: changes.firstName ?? human?.firstName ?? "",
    lastName: changes.lastName ?? human?.lastName ?? "",
    nickName: changes.nickName ?? human?.nickName ?? "",
    displayName: changes.displayName ?? human?.displayName ?? "",
    avatarKey: human?.avatarKey ?? "",
    preferredLanguage: changes.preferredLanguage ?? human?.preferredLanguage ?? "",
    gender: changes.gender ?? human?.gender ?? 0,
    email: changes.email ?? human?.email ?? "",
    isEmailVerified: changes.emailVerified ?? human?.isEmailVerified ?? false,
    phone: changes.phone ?? human?.phone ?? "",
    isPhoneVerified: changes.phoneVerified ?? human?.isPhoneVerified ?? false,
  };
}
