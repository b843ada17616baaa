import type { ZitadelTarget, ZitadelTargetFields } from "../domain/zitadel-target.js";
import type { StoredEvent } from "../event/events.js";
import { plainWriteModel } from "./write-model.js";

/** The write model of one ZITADEL target; JSON-serialisable, as snapshots are. Sealed values are not kept: no decision needs them. */
export interface ZitadelTargetWriteModel extends ZitadelTargetFields {
  id: string;
  state: "unknown" | "active" | "removed";
  keys: { id: string; createdAt: number }[];
  /** Keys ever added: key ids are numbers counted from 1 and never reused, so a removed key's id names nothing new. */
  keysAdded: number;
  /** "" until the target first became JWE; the pair is kept after, for a switch back. */
  publicKeyPem: string;
  sequence: number;
  creationDate: number;
  changeDate: number;
}

export function initialZitadelTarget(id: string): ZitadelTargetWriteModel {
  return {
    id,
    state: "unknown",
    name: "",
    payloadType: "json",
    orgId: "",
    issuer: "",
    failurePolicy: "forward-403",
    keys: [],
    keysAdded: 0,
    publicKeyPem: "",
    sequence: 0,
    creationDate: 0,
    changeDate: 0,
  };
}

export function evolveZitadelTarget(state: ZitadelTargetWriteModel, event: StoredEvent): ZitadelTargetWriteModel {
  if (event.aggregateType !== "zitadel_target") return state;
  const at = event.createdAt.getTime();
  const touched = { ...state, sequence: event.sequence, changeDate: at };
  switch (event.type) {
    case "zitadel_target.added": {
      const { keyPair, ...fields } = event.payload;
      return { ...touched, ...fields, state: "active", creationDate: at, publicKeyPem: keyPair?.publicKeyPem ?? "" };
    }
    case "zitadel_target.changed": {
      const { keyPair, ...fields } = event.payload;
      return { ...touched, ...fields, publicKeyPem: keyPair?.publicKeyPem ?? state.publicKeyPem };
    }
    case "zitadel_target.key.added":
      return { ...touched, keys: [...state.keys, { id: event.payload.keyId, createdAt: at }], keysAdded: state.keysAdded + 1 };
    case "zitadel_target.key.removed":
      return { ...touched, keys: state.keys.filter((k) => k.id !== event.payload.keyId) };
    case "zitadel_target.removed":
      return { ...touched, state: "removed" };
    case "zitadel_target.key.resealed":
    case "zitadel_target.private_key.resealed":
      // The same key under another secrets key: the target did not change, but its history moved on.
      return { ...state, sequence: event.sequence };
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}

export const zitadelTargetModel = plainWriteModel<ZitadelTargetWriteModel>({
  aggregateType: "zitadel_target",
  snapshotName: "zitadel_target.v1",
  initial: initialZitadelTarget,
  evolve: evolveZitadelTarget,
});

/** The target as a write answers it: the same shape every read gives. */
export function zitadelTargetView(state: ZitadelTargetWriteModel): ZitadelTarget {
  return {
    id: state.id,
    name: state.name,
    payloadType: state.payloadType,
    orgId: state.orgId,
    issuer: state.issuer,
    failurePolicy: state.failurePolicy,
    signingKeys: state.keys.map((k) => ({ id: k.id, createdAt: new Date(k.createdAt) })),
    publicKeyPem: state.payloadType === "jwe" ? state.publicKeyPem : "",
    sequence: state.sequence,
    creationDate: new Date(state.creationDate),
    changeDate: new Date(state.changeDate),
  };
}
