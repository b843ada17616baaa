import type { StoredEvent } from "../event/events.js";
import { plainWriteModel } from "./write-model.js";

/** When a secret was created and by whom: what a set keeps and the answer shows. */
interface SecretEntry {
  createdAt: number;
  createdBy: string;
  changedAt: number;
  changedBy: string;
}

/** The write model of one org's secrets: names only, as no decision needs a value. JSON-serialisable, as snapshots are. */
export interface OrgSecretsWriteModel {
  orgId: string;
  secrets: Record<string, SecretEntry>;
}

export function evolveOrgSecrets(state: OrgSecretsWriteModel, event: StoredEvent): OrgSecretsWriteModel {
  if (event.aggregateType !== "secret") return state;
  const secrets = { ...state.secrets };
  const { name } = event.payload;
  switch (event.type) {
    case "secret.set": {
      const at = event.createdAt.getTime();
      const created = secrets[name] ?? { createdAt: at, createdBy: event.creator };
      secrets[name] = { createdAt: created.createdAt, createdBy: created.createdBy, changedAt: at, changedBy: event.creator };
      break;
    }
    case "secret.removed":
      delete secrets[name];
      break;
    case "secret.resealed":
      // The same value under another key: not a change anyone made to the secret.
      return state;
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
  return { ...state, secrets };
}

export const orgSecretsModel = plainWriteModel<OrgSecretsWriteModel>({
  aggregateType: "secret",
  snapshotName: "org_secrets.v1",
  initial: (orgId) => ({ orgId, secrets: {} }),
  evolve: evolveOrgSecrets,
});

/** The names are the keys of a plain object: a name is checked by its pattern before it is ever looked up. */
export function hasSecret(state: OrgSecretsWriteModel, name: string): boolean {
  return Object.hasOwn(state.secrets, name);
}
