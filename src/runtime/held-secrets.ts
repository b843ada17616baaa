import type { SecretsDelivery } from "./worker-protocol.js";

/**
 * The secrets a worker thread holds, by org: the side of the delivery
 * protocol (worker-protocol.ts, SecretsDelivery) that keeps what the pool sent.
 */
export class HeldSecrets {
  private readonly byOrg = new Map<string, { version: number; values: Readonly<Record<string, string>> }>();

  /** Takes in a delivery; called for every run message, before the run is claimed, so that both sides stay in step. */
  receive(delivery: SecretsDelivery | undefined): void {
    if (!delivery) return;
    for (const org of delivery.forget ?? []) this.byOrg.delete(org);
    if (delivery.values) this.byOrg.set(delivery.org, { version: delivery.version, values: delivery.values });
  }

  /** The run's secrets; a version the worker does not hold means the two sides disagree, and the worker cannot be trusted to run. */
  valuesFor(delivery: SecretsDelivery | undefined): Readonly<Record<string, string>> {
    if (!delivery) return {};
    const held = this.byOrg.get(delivery.org);
    if (held?.version !== delivery.version) throw new Error(`the worker does not hold version ${delivery.version} of org ${delivery.org}'s secrets`);
    return held.values;
  }
}
