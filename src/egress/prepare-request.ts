import { EgressError } from "./egress-error.js";
import type { EgressRequest } from "./fetch-types.js";
import { prepareHeaders, type HeaderList } from "./headers.js";

/** One hop's request: the script's, checked, or what a redirect turned it into. */
export interface PreparedRequest {
  url: string;
  method: string;
  headers: HeaderList;
  body: Buffer | undefined;
}

/** Checks the script's request field by field (it is untrusted input) and normalises it. */
export function prepareRequest(request: EgressRequest): PreparedRequest {
  if (request === null || typeof request !== "object") throw new EgressError("request must be an object", "request");
  if (typeof request.url !== "string") throw new EgressError("request url must be a string", "request");
  if (request.body !== undefined && request.body !== null && typeof request.body !== "string") {
    throw new EgressError("request body must be a string", "request");
  }
  const method = prepareMethod(request.method);
  const headers = prepareHeaders(request.headers);
  const body = typeof request.body === "string" ? Buffer.from(request.body, "utf8") : undefined;
  return { url: request.url, method, headers, body };
}

/** An HTTP token, upper-cased; GET when absent. CONNECT is refused: it would open a tunnel past every check here. */
function prepareMethod(method: unknown): string {
  if (method === undefined || method === null || method === "") return "GET";
  if (typeof method !== "string" || !/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(method)) {
    throw new EgressError(`invalid request method ${JSON.stringify(method)}`, "request");
  }
  const upper = method.toUpperCase();
  if (upper === "CONNECT") throw new EgressError("request method CONNECT is not allowed", "request");
  return upper;
}
