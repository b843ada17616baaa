import { secretValueBinding } from "../domain/secret.js";
import type { SealedAggregate, SecretResealer } from "../domain/secrets.js";
import { secretBinding } from "../domain/zitadel-target.js";
import type { NewEvent, StoredEvent, StoredSecretEvent, StoredZitadelTargetEvent } from "../event/events.js";
import type { CommandDeps } from "./command-context.js";

/** A reseal opens with any key it holds and seals with the key that seals now. */
export interface ResealDeps extends CommandDeps {
  secrets: SecretResealer;
}

/** A value as the aggregate's events last sealed it, with its binding and the event that would reseal it. */
interface SealedValue {
  sealed: string;
  binding: string;
  resealed: (sealed: string) => NewEvent;
}

/**
 * Seals again, with the secrets key that seals now, every value of the
 * aggregates that an older key sealed, as `resealed` events, so that the old
 * key can leave the key file (docs/secrets.md, Rotating the key file). Each
 * aggregate is one transaction, decided on its whole history: a value set
 * meanwhile makes the transaction run again. Answers how many values it
 * sealed again; a second run finds none.
 */
export async function resealAggregates(deps: ResealDeps, creator: string, aggregates: readonly SealedAggregate[]): Promise<number> {
  let count = 0;
  for (const aggregate of aggregates) {
    count += await deps.store.transact(async (tx) => {
      const values = sealedValues(aggregate, creator, await tx.readAggregate(aggregate.type, aggregate.id));
      const events = values.flatMap((v) => {
        const sealed = deps.secrets.reseal(v.sealed, v.binding);
        return sealed === undefined ? [] : [v.resealed(sealed)];
      });
      if (events.length > 0) await tx.append(events);
      return events.length;
    });
  }
  return count;
}

/** The values the aggregate holds now, folded from its events: write models keep no sealed value, as no other decision needs one. */
function sealedValues(aggregate: SealedAggregate, creator: string, events: StoredEvent[]): SealedValue[] {
  const values = new Map<string, SealedValue>();
  const envelope = { aggregateId: aggregate.id, creator };
  for (const event of events) {
    if (event.aggregateType === "secret") evolveSecretValues(values, envelope, event);
    else if (event.aggregateType === "zitadel_target") evolveTargetValues(values, envelope, event);
  }
  return [...values.values()];
}

type Envelope = { aggregateId: string; creator: string };

/** An org's secrets, by name. */
function evolveSecretValues(values: Map<string, SealedValue>, envelope: Envelope, event: StoredSecretEvent): void {
  const { name } = event.payload;
  if (event.type === "secret.removed") {
    values.delete(name);
    return;
  }
  const org = event.resourceOwner;
  values.set(name, {
    sealed: event.payload.sealedValue,
    binding: secretValueBinding(org, name),
    resealed: (sealedValue) => ({ ...envelope, aggregateType: "secret", resourceOwner: org, type: "secret.resealed", payload: { name, sealedValue } }),
  });
}

/** A target's signing keys, by key id, and its JWE private key. */
function evolveTargetValues(values: Map<string, SealedValue>, envelope: Envelope, event: StoredZitadelTargetEvent): void {
  const target = { ...envelope, aggregateType: "zitadel_target", resourceOwner: "" } as const;
  const id = envelope.aggregateId;
  switch (event.type) {
    case "zitadel_target.added":
    case "zitadel_target.changed":
    case "zitadel_target.private_key.resealed": {
      const sealed = event.type === "zitadel_target.private_key.resealed" ? event.payload.sealedPrivateKey : event.payload.keyPair?.sealedPrivateKey;
      if (sealed === undefined) return;
      values.set("private key", {
        sealed,
        binding: secretBinding.jwePrivateKey(id),
        resealed: (sealedPrivateKey) => ({ ...target, type: "zitadel_target.private_key.resealed", payload: { sealedPrivateKey } }),
      });
      return;
    }
    case "zitadel_target.key.added":
    case "zitadel_target.key.resealed": {
      const { keyId } = event.payload;
      values.set(`key ${keyId}`, {
        sealed: event.payload.sealedKey,
        binding: secretBinding.signingKey(id, keyId),
        resealed: (sealedKey) => ({ ...target, type: "zitadel_target.key.resealed", payload: { keyId, sealedKey } }),
      });
      return;
    }
    case "zitadel_target.key.removed":
      values.delete(`key ${event.payload.keyId}`);
      return;
    case "zitadel_target.removed":
      values.clear();
  }
}
