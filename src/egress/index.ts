/**
 * The scripts' outbound HTTP: the fetcher behind `zitadel/http`'s `fetch`
 * and the address policy it enforces. The isolation model it serves is
 * described in docs/sandbox.md.
 *
 * @module
 */
export { createEgressFetcher } from "./fetcher.js";
export { DEFAULT_MAX_REDIRECTS, DEFAULT_MAX_RESPONSE_BYTES, type EgressOptions } from "./fetcher-options.js";
export type { EgressFetcher, EgressRequest, EgressResponse, EgressResult } from "./fetch-types.js";
export { type EgressRefusal, egressRefusals } from "./egress-error.js";
export type { EgressLookup, ResolvedAddress } from "./resolve-host.js";
export { EgressPolicy, classifyAddress, defaultRefusal, embeddedV4 } from "./policy.js";
export { parseHost, parseIp, parseCidr } from "./ip.js";
