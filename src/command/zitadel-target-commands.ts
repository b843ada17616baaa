import type { SecretSealer } from "../domain/secrets.js";
import {
  isPlausibleSigningKey,
  maxSigningKeys,
  secretBinding,
  type ZitadelTarget,
  type ZitadelTargetFields,
  zitadelTargetNameKey,
} from "../domain/zitadel-target.js";
import { zitadelTargetErrors as errors } from "../domain/zitadel-target-errors.js";
import type { EventTransaction } from "../event/event-store.js";
import type { NewEvent, SealedKeyPair, UniqueConstraint } from "../event/events.js";
import type { CommandDeps } from "./command-context.js";
import type { JweKeyPair } from "./jwe-key-pair.js";
import { orgExistsIn } from "./org-existence.js";
import { foldEvents, loadAggregate } from "./write-model.js";
import { type ZitadelTargetWriteModel, zitadelTargetModel, zitadelTargetView } from "./zitadel-target-state.js";

/** Target commands seal the keys they are given, and make the JWE key pair; both injected so specs are exact. */
export interface ZitadelTargetDeps extends CommandDeps {
  secrets: SecretSealer;
  newKeyPair: () => JweKeyPair;
}

type TargetEvent = Extract<NewEvent, { aggregateType: "zitadel_target" }>;

/** Instance-level events belong to no org: their resource owner is empty. */
function envelope(id: string, creator: string) {
  return { aggregateType: "zitadel_target", aggregateId: id, resourceOwner: "", creator } as const;
}

function nameConstraint(op: UniqueConstraint["op"], name: string): UniqueConstraint {
  return { op, kind: "zitadel_target_name", key: zitadelTargetNameKey(name), conflict: op === "add" ? errors.nameTaken : undefined };
}

/** The rules a target's fields keep, whatever the command. */
function checkFields(fields: ZitadelTargetFields, keyCount: number): void {
  if (fields.name.trim() === "") throw errors.nameBlank();
  if (fields.payloadType === "json") {
    if (fields.issuer !== "") throw errors.issuerUnused();
    if (keyCount === 0) throw errors.signingKeyMissing();
  } else {
    if (fields.issuer === "") throw errors.issuerMissing();
    if (!isHttpUrl(fields.issuer)) throw errors.issuerInvalid();
  }
  if (keyCount > maxSigningKeys) throw errors.tooManyKeys();
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}

async function requireOrg(tx: EventTransaction, orgId: string): Promise<void> {
  if (orgId !== "" && !(await orgExistsIn(tx, orgId))) throw errors.orgNotFound();
}

function sealedKeyPair(deps: ZitadelTargetDeps, id: string): SealedKeyPair {
  const pair = deps.newKeyPair();
  return { publicKeyPem: pair.publicKeyPem, sealedPrivateKey: deps.secrets.seal(pair.privateKeyPem, secretBinding.jwePrivateKey(id)) };
}

/** One key.added event per key, numbered on from the keys the target ever had. */
function keysAdded(deps: ZitadelTargetDeps, creator: string, target: ZitadelTargetWriteModel, keys: string[]) {
  if (!keys.every(isPlausibleSigningKey)) throw errors.signingKeyInvalid();
  const keyIds = keys.map((_, i) => String(target.keysAdded + i + 1));
  const events = keys.map((key, i): TargetEvent => {
    const sealedKey = deps.secrets.seal(key, secretBinding.signingKey(target.id, keyIds[i]!));
    return { ...envelope(target.id, creator), type: "zitadel_target.key.added", payload: { keyId: keyIds[i]!, sealedKey } };
  });
  return { keyIds, events };
}

async function loadLive(tx: EventTransaction, id: string): Promise<ZitadelTargetWriteModel> {
  const target = await loadAggregate(tx, zitadelTargetModel, id);
  if (target.state !== "active") throw errors.notFound();
  return target;
}

/** Appends the events and answers the target as they leave it. */
async function appendAndView(tx: EventTransaction, target: ZitadelTargetWriteModel, events: TargetEvent[]): Promise<ZitadelTarget> {
  return zitadelTargetView(foldEvents(zitadelTargetModel, target, await tx.append(events)));
}

/** Registers a target with its signing keys; a JWE target gets a fresh key pair. */
export async function addZitadelTarget(
  deps: ZitadelTargetDeps,
  creator: string,
  fields: ZitadelTargetFields,
  signingKeys: string[],
): Promise<ZitadelTarget> {
  checkFields(fields, signingKeys.length);
  const id = deps.newId();
  return deps.store.transact(async (tx) => {
    await requireOrg(tx, fields.orgId);
    const target = zitadelTargetModel.initial(id);
    const keyPair = fields.payloadType === "jwe" ? sealedKeyPair(deps, id) : undefined;
    const added: TargetEvent = {
      ...envelope(id, creator),
      type: "zitadel_target.added",
      payload: { ...fields, ...(keyPair && { keyPair }) },
      uniqueConstraints: [nameConstraint("add", fields.name)],
    };
    return appendAndView(tx, target, [added, ...keysAdded(deps, creator, target, signingKeys).events]);
  });
}

/** Changes the given fields; a change that changes nothing writes nothing. */
export async function changeZitadelTarget(
  deps: ZitadelTargetDeps,
  creator: string,
  id: string,
  changes: Partial<ZitadelTargetFields>,
): Promise<ZitadelTarget> {
  return deps.store.transact(async (tx) => {
    const target = await loadLive(tx, id);
    const next: ZitadelTargetFields = {
      name: changes.name ?? target.name,
      payloadType: changes.payloadType ?? target.payloadType,
      orgId: changes.orgId ?? target.orgId,
      issuer: changes.issuer ?? target.issuer,
      failurePolicy: changes.failurePolicy ?? target.failurePolicy,
    };
    checkFields(next, target.keys.length);
    const changed: Partial<ZitadelTargetFields> = {};
    for (const key of ["name", "payloadType", "orgId", "issuer", "failurePolicy"] as const) {
      if (next[key] !== target[key]) Object.assign(changed, { [key]: next[key] });
    }
    if (Object.keys(changed).length === 0) return zitadelTargetView(target);
    if (changed.orgId) await requireOrg(tx, changed.orgId);
    // A target's first switch to JWE makes its key pair; a switch back keeps the pair that ZITADEL already has.
    const keyPair = next.payloadType === "jwe" && target.publicKeyPem === "" ? sealedKeyPair(deps, id) : undefined;
    const renamed = zitadelTargetNameKey(next.name) !== zitadelTargetNameKey(target.name);
    return appendAndView(tx, target, [
      {
        ...envelope(id, creator),
        type: "zitadel_target.changed",
        payload: { ...changed, ...(keyPair && { keyPair }) },
        uniqueConstraints: renamed ? [nameConstraint("remove", target.name), nameConstraint("add", next.name)] : [],
      },
    ]);
  });
}

/** Adds signing keys, as a rotation needs: the old key and the new one are both trusted until the old one is removed. */
export async function addZitadelTargetKeys(
  deps: ZitadelTargetDeps,
  creator: string,
  id: string,
  signingKeys: string[],
): Promise<{ target: ZitadelTarget; keyIds: string[] }> {
  return deps.store.transact(async (tx) => {
    const target = await loadLive(tx, id);
    if (target.keys.length + signingKeys.length > maxSigningKeys) throw errors.tooManyKeys();
    const { keyIds, events } = keysAdded(deps, creator, target, signingKeys);
    return { target: await appendAndView(tx, target, events), keyIds };
  });
}

/** Removes a signing key; a JSON target keeps at least one, or no call could be trusted. */
export async function removeZitadelTargetKey(deps: ZitadelTargetDeps, creator: string, id: string, keyId: string): Promise<ZitadelTarget> {
  return deps.store.transact(async (tx) => {
    const target = await loadLive(tx, id);
    if (!target.keys.some((k) => k.id === keyId)) throw errors.keyNotFound();
    if (target.payloadType === "json" && target.keys.length === 1) throw errors.signingKeyMissing();
    return appendAndView(tx, target, [{ ...envelope(id, creator), type: "zitadel_target.key.removed", payload: { keyId } }]);
  });
}

/** Removes the target with its keys; its name is free again. */
export async function removeZitadelTarget(deps: ZitadelTargetDeps, creator: string, id: string): Promise<{ deletionDate: Date }> {
  return deps.store.transact(async (tx) => {
    const target = await loadLive(tx, id);
    const [removed] = await tx.append([
      {
        ...envelope(id, creator),
        type: "zitadel_target.removed",
        payload: { name: target.name },
        uniqueConstraints: [nameConstraint("remove", target.name)],
      },
    ]);
    return { deletionDate: removed!.createdAt };
  });
}
