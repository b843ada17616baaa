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
    const version = secrets && versionOf(secrets);
    if (!version) return undefined;
    if (this.held.get(org)?.version === version.id) return { org, version: version.id };
    const forget = this.held.set(org, { version: version.id, bytes: version.bytes });
    return { org, version: version.id, values: secrets, ...(forget.length > 0 && { forget }) };
  }
}

/** Each values object's version and size, worked out once: every run of an org shares the object while its secrets are unchanged. */
const versions = new WeakMap<Secrets, { id: number; bytes: number } | undefined>();
let lastVersion = 0;

/** Undefined for no secrets: nothing to send. */
function versionOf(secrets: Secrets): { id: number; bytes: number } | undefined {
  if (versions.has(secrets)) return versions.get(secrets);
  const bytes = heapBytes(secrets);
  const version = bytes === 0 ? undefined : { id: ++lastVersion, bytes };
  versions.set(secrets, version);
  return version;
}
