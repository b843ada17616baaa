import type net from "node:net";
import type { Target } from "./check-url.js";
import { EgressError } from "./egress-error.js";
import { normalizeName } from "./ip.js";

/**
 * A `lookup` for http.request that only ever answers with the checked
 * addresses, so the connection goes where the policy looked: a second DNS
 * answer (rebinding) never reaches it.
 */
export function pinnedLookup(target: Target): net.LookupFunction {
  const expected = normalizeName(target.hostname);
  return (hostname, options, callback) => {
    process.nextTick(() => {
      if (normalizeName(hostname) !== expected) {
        callback(new EgressError(`unexpected lookup of ${hostname} (checked ${target.hostname})`), "", 4);
        return;
      }
      if (options.all) {
        callback(null, target.addresses.map((a) => ({ address: a.address, family: a.family })));
        return;
      }
      const wanted = options.family === 4 || options.family === 6 ? options.family : undefined;
      const pick = target.addresses.find((a) => wanted === undefined || a.family === wanted);
      if (!pick) {
        callback(new EgressError(`host ${target.hostname} has no checked IPv${wanted} address`), "", 4);
        return;
      }
      callback(null, pick.address, pick.family);
    });
  };
}
