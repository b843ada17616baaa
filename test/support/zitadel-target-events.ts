import type { JweKeyPair } from "../../src/command/jwe-key-pair.js";
import type { ZitadelTargetDeps } from "../../src/command/zitadel-target-commands.js";
import type { CommandDeps } from "../../src/command/command-context.js";
import type { SecretSealer } from "../../src/domain/secrets.js";
import type { ZitadelTargetFields } from "../../src/domain/zitadel-target.js";
import type { NewEvent, UniqueConstraint } from "../../src/event/events.js";

/**
 * Event builders for ZITADEL target specs, with a sealer whose output shows
 * what it sealed and under which binding, so that a spec can say both
 * exactly (the real AES-GCM box is random; store/secret-box.test.ts tests it).
 */
export const creator = "user-1";

export const fakeSealer: SecretSealer = { seal: (plaintext, binding) => `sealed[${binding}](${plaintext})` };
export const fixedKeyPair: JweKeyPair = { publicKeyPem: "PUBLIC PEM", privateKeyPem: "PRIVATE PEM" };

/** The command deps of a spec, with the fake sealer and the fixed key pair. */
export const targetDeps = (deps: CommandDeps): ZitadelTargetDeps => ({ ...deps, secrets: fakeSealer, newKeyPair: () => fixedKeyPair });

export const jsonTarget: ZitadelTargetFields = { name: "zitadel", payloadType: "json", orgId: "", issuer: "", failurePolicy: "forward-403" };
export const jwtTarget: ZitadelTargetFields = { ...jsonTarget, payloadType: "jwt", issuer: "https://zitadel.example.com" };

type TargetEventOf<T extends string> = Extract<NewEvent, { aggregateType: "zitadel_target"; type: T }>;

const onTarget = (id: string) => ({ aggregateType: "zitadel_target", aggregateId: id, resourceOwner: "", creator }) as const;

const name = (op: UniqueConstraint["op"], targetName: string): UniqueConstraint => ({
  op,
  kind: "zitadel_target_name",
  key: targetName.toLowerCase(),
});

export const sealedPair = (id: string) => ({
  publicKeyPem: fixedKeyPair.publicKeyPem,
  sealedPrivateKey: `sealed[zitadel_target/${id}/jwe_private_key](${fixedKeyPair.privateKeyPem})`,
});

export function targetAdded(id: string, fields: Partial<ZitadelTargetFields> = {}): TargetEventOf<"zitadel_target.added"> {
  const payload = { ...jsonTarget, ...fields };
  return {
    ...onTarget(id),
    type: "zitadel_target.added",
    payload: payload.payloadType === "jwe" ? { ...payload, keyPair: sealedPair(id) } : payload,
    uniqueConstraints: [name("add", payload.name)],
  };
}

export function keyAdded(id: string, keyId: string, key: string): TargetEventOf<"zitadel_target.key.added"> {
  return {
    ...onTarget(id),
    type: "zitadel_target.key.added",
    payload: { keyId, sealedKey: `sealed[zitadel_target/${id}/signing_key/${keyId}](${key})` },
  };
}

export function keyRemoved(id: string, keyId: string): TargetEventOf<"zitadel_target.key.removed"> {
  return { ...onTarget(id), type: "zitadel_target.key.removed", payload: { keyId } };
}

export function targetChanged(
  id: string,
  payload: TargetEventOf<"zitadel_target.changed">["payload"],
  renamedFrom?: string,
): TargetEventOf<"zitadel_target.changed"> {
  const moved = renamedFrom === undefined ? [] : [name("remove", renamedFrom), name("add", payload.name!)];
  return { ...onTarget(id), type: "zitadel_target.changed", payload, uniqueConstraints: moved };
}

export function targetRemoved(id: string, targetName = jsonTarget.name): TargetEventOf<"zitadel_target.removed"> {
  return { ...onTarget(id), type: "zitadel_target.removed", payload: { name: targetName }, uniqueConstraints: [name("remove", targetName)] };
}
