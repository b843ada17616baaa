import dns from "node:dns";
import net from "node:net";
import { EgressError, describeError } from "./egress-error.js";
import type { Exchange } from "./exchange-lifetime.js";

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

export type EgressLookup = (host: string) => Promise<ResolvedAddress[]>;

/** Every address the system resolver knows for `host`, in the resolver's order. */
export async function defaultLookup(host: string): Promise<ResolvedAddress[]> {
  const found = await dns.promises.lookup(host, { all: true, verbatim: true });
  return found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
}

/**
 * Resolves `name` once per hop. The lookup may be a configured one, so its
 * answer is checked entry by entry: anything that is not an IP is refused
 * rather than handed to the policy.
 */
export async function resolveHost(lookup: EgressLookup, name: string, exchange: Exchange): Promise<ResolvedAddress[]> {
  let found: unknown;
  try {
    found = await Promise.resolve().then(() => lookup(name));
  } catch (err) {
    if (exchange.closed) throw err;
    throw new EgressError(`could not resolve host ${name}: ${describeError(err)}`);
  }
  if (!Array.isArray(found) || found.length === 0) throw new EgressError(`host ${name} resolved to no address`);
  return found.map((entry: unknown) => {
    const address = typeof entry === "string" ? entry : (entry as { address?: unknown } | null)?.address;
    const family = typeof address === "string" ? net.isIP(address) : 0;
    if (family !== 4 && family !== 6) {
      throw new EgressError(`host ${name} resolved to an invalid address ${JSON.stringify(address)}`);
    }
    return { address: address as string, family };
  });
}
