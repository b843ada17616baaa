import type { DomainError } from "../domain/errors.js";
import type { ZitadelTargetFields } from "../domain/zitadel-target.js";

/**
 * The events actiond records, named as ZITADEL names them. Actions are their
 * own aggregate; flows are events on the org aggregate.
 */
export interface ActionPayload {
  name: string;
  script: string;
  timeoutNs: number;
  allowedToFail: boolean;
}

export type ActionEvent =
  | { type: "action.added"; payload: ActionPayload }
  | { type: "action.changed"; payload: Partial<ActionPayload> }
  | { type: "action.deactivated"; payload: Record<string, never> }
  | { type: "action.reactivated"; payload: Record<string, never> }
  | { type: "action.removed"; payload: { name: string } };

export type OrgEvent =
  | { type: "org.added"; payload: { name: string } }
  | {
      type: "org.flow.trigger_actions.set";
      payload: { flowType: string; triggerType: string; actionIds: string[] };
    }
  | { type: "org.flow.trigger_actions.cascade.removed"; payload: { flowType: string; actionId: string } }
  | { type: "org.flow.cleared"; payload: { flowType: string } };

/** A JWE key pair: the public key as shown, the private key only sealed (domain/secrets.ts). */
export interface SealedKeyPair {
  publicKeyPem: string;
  sealedPrivateKey: string;
}

/**
 * ZITADEL targets are an instance-level aggregate. Keys travel only sealed:
 * the event log is in the database too. A `resealed` event holds the same key
 * sealed with a newer secrets key (docs/secrets.md, Rotating the key file).
 */
export type ZitadelTargetEvent =
  | { type: "zitadel_target.added"; payload: ZitadelTargetFields & { keyPair?: SealedKeyPair } }
  | { type: "zitadel_target.changed"; payload: Partial<ZitadelTargetFields> & { keyPair?: SealedKeyPair } }
  | { type: "zitadel_target.key.added"; payload: { keyId: string; sealedKey: string } }
  | { type: "zitadel_target.key.removed"; payload: { keyId: string } }
  | { type: "zitadel_target.key.resealed"; payload: { keyId: string; sealedKey: string } }
  | { type: "zitadel_target.private_key.resealed"; payload: { sealedPrivateKey: string } }
  | { type: "zitadel_target.removed"; payload: { name: string } };

/**
 * An org's secrets are one aggregate, whose id is the org's: the limit per org
 * and each name's existence are decided on one consistent history. Values
 * travel only sealed, bound to the org and name (domain/secret.ts); a
 * `resealed` value is the same value sealed with a newer secrets key.
 */
export type SecretEvent =
  | { type: "secret.set"; payload: { name: string; sealedValue: string } }
  | { type: "secret.resealed"; payload: { name: string; sealedValue: string } }
  | { type: "secret.removed"; payload: { name: string } };

export type AggregateType = "action" | "org" | "zitadel_target" | "secret";

/** A unique-constraint change that must commit with the event or not at all. */
export interface UniqueConstraint {
  op: "add" | "remove";
  /** E.g. "action_name". */
  kind: string;
  key: string;
  /** The error an "add" raises when the key is taken. */
  conflict?: () => DomainError;
}

interface EventEnvelope {
  aggregateId: string;
  resourceOwner: string;
  /** Who caused it: a token id or an OIDC subject. */
  creator: string;
  uniqueConstraints?: UniqueConstraint[];
}

export type NewEvent =
  | (EventEnvelope & { aggregateType: "action" } & ActionEvent)
  | (EventEnvelope & { aggregateType: "org" } & OrgEvent)
  | (EventEnvelope & { aggregateType: "zitadel_target" } & ZitadelTargetEvent)
  | (EventEnvelope & { aggregateType: "secret" } & SecretEvent);

export type StoredEvent = NewEvent & {
  /** Global, gap-free order of the log. */
  position: number;
  /** Per aggregate, starting at 1. */
  sequence: number;
  createdAt: Date;
};

export type StoredActionEvent = Extract<StoredEvent, { aggregateType: "action" }>;
export type StoredOrgEvent = Extract<StoredEvent, { aggregateType: "org" }>;
export type StoredZitadelTargetEvent = Extract<StoredEvent, { aggregateType: "zitadel_target" }>;
export type StoredSecretEvent = Extract<StoredEvent, { aggregateType: "secret" }>;
