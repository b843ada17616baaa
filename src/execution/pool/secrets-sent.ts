import { BytesLru } from "../../bytes-lru.js";
import { heapBytes } from "../../domain/secret.js";
import type { SecretsDelivery } from "../../runtime/index.js";

type Secrets = Readonly<Record<string, string>>;

/**
 * What one worker holds of the orgs' secrets it was sent, so that a run's
 * values cross to the worker once per version instead of with every run
 * (runtime/worker-protocol.ts, SecretsDelivery). A version is the identity
 * of the values object: the executor hands every run of an org the same
 * frozen object while the org's secrets are unchanged (query/secret-values.ts),
 * and any other object is simply sent again. The worker forgets what this
 * side tells it to, least recently used first, so that what it holds stays
 * under a budget: 16 MiB, 40 orgs with 100 values of 4 KiB.
 */
export class SecretsSent {
  private readonly held: BytesLru<{ version: number; bytes: number }>;

  constructor(budgetBytes = 16 * 1024 * 1024) {
    this.held = new BytesLru(budgetBytes);
  }

  /** The delivery for a run of `org` with `secrets`; undefined when it has none. */
  deliver(org: string, secrets: Secrets | undefined): SecretsDelivery | undefined {
    if (!secrets || isEmpty(secrets)) return undefined;
    const version = versionOf(secrets);
    if (this.held.get(org)?.version === version) return { org, version };
    const forget = this.held.set(org, { version, bytes: heapBytes(secrets) });
    return { org, version, values: secrets, ...(forget.length > 0 && { forget }) };
  }
}

const versions = new WeakMap<Secrets, number>();
let lastVersion = 0;

function versionOf(secrets: Secrets): number {
  let version = versions.get(secrets);
  if (version === undefined) versions.set(secrets, (version = ++lastVersion));
  return version;
}

function isEmpty(secrets: Secrets): boolean {
  for (const _ in secrets) return false;
  return true;
}
