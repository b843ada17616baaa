import type { QuickJSHandle } from "quickjs-emscripten";
import { ApiError } from "./guest-errors.js";
import type { GuestEnv } from "./guest-env.js";
import { readJson } from "./api-args.js";
import { build, data, held, object } from "./guest-tree.js";
import { isJsonObject, parseJson } from "./safe-json.js";
import type { HostFetchRequest, HostFetchResponse, JsonObject, JsonValue } from "./types.js";

/** `require("zitadel/http")`: a `fetch` that is synchronous for the script, as in ZITADEL (docs/wire-contract.md, Modules). */
export function newHttpModule(env: GuestEnv): QuickJSHandle {
  return build(env, object({ fetch: held(env.fn("fetch", (...args) => fetch(env, args))) }));
}

function fetch(env: GuestEnv, args: QuickJSHandle[]): QuickJSHandle {
  if (args.length > 2) throw new ApiError("too many args");
  const [urlArg, optionsArg] = args;
  if (!urlArg) throw new ApiError("no url provided");
  if (env.vm.typeof(urlArg) !== "string") throw new ApiError("fetch: the url must be a string", "TypeError");
  const url = env.ops.text(urlArg);
  const request: Omit<HostFetchRequest, "timeoutMs"> = {
    url,
    method: "GET",
    headers: { "Content-Type": ["application/json"], Accept: ["application/json"] },
  };
  if (optionsArg && env.vm.typeof(optionsArg) !== "undefined") applyOptions(request, readOptions(env, optionsArg));
  checkUrl(url);
  const timeoutMs = env.deadline - performance.now();
  if (timeoutMs <= 0) throw new ApiError("fetch: the run's deadline has passed");
  let response: HostFetchResponse;
  try {
    response = env.host.fetch({ ...request, timeoutMs });
  } catch (error) {
    throw new ApiError(`fetch failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  if ("error" in response) throw new ApiError(response.error);
  return responseObject(env, response);
}

function readOptions(env: GuestEnv, options: QuickJSHandle): JsonObject {
  // The options object wraps its values (the body): one level.
  const parsed = readJson(env, options, "fetch options", 1)?.value;
  if (!isJsonObject(parsed)) throw new ApiError("fetch: options must be an object", "TypeError");
  return parsed;
}

function applyOptions(request: Omit<HostFetchRequest, "timeoutMs">, options: JsonObject): void {
  for (const key of Object.keys(options)) {
    const value = options[key] as JsonValue;
    switch (key) {
      case "method":
        request.method = (typeof value === "string" ? value : JSON.stringify(value)) || "GET";
        break;
      case "headers":
        // As in ZITADEL, given headers replace the JSON defaults instead of adding to them.
        request.headers = parseHeaders(value);
        break;
      case "body":
        request.body = JSON.stringify(value);
        break;
      default:
        throw new ApiError(`key is invalid: ${JSON.stringify(key)} (fetch options are method, headers, body)`);
    }
  }
}

/** A string value is split on ","; an array gives one value per item; other values add nothing. */
function parseHeaders(value: JsonValue): Record<string, string[]> {
  const headers: Record<string, string[]> = {};
  if (!isJsonObject(value)) return headers;
  for (const name of Object.keys(value)) {
    const raw = value[name];
    const values = typeof raw === "string" ? raw.split(",") : Array.isArray(raw) ? raw.map((v) => (typeof v === "string" ? v : JSON.stringify(v))) : [];
    if (values.length === 0 || name === "__proto__") continue;
    const canonical = canonicalHeaderName(name);
    headers[canonical] = [...(headers[canonical] ?? []), ...values.map((v) => v.trim())];
  }
  return headers;
}

/** Go's textproto canonical form, so `content-type` and `Content-Type` are one header. */
function canonicalHeaderName(name: string): string {
  return name
    .split("-")
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1).toLowerCase())
    .join("-");
}

function checkUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ApiError(`fetch: invalid url ${JSON.stringify(url.slice(0, 200))}`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new ApiError(`fetch: unsupported protocol scheme ${JSON.stringify(parsed.protocol.replace(/:$/, ""))}`);
  }
}

function responseObject(env: GuestEnv, response: { status: number; body: string; headers: Record<string, string[]> }): QuickJSHandle {
  const body = String(response.body);
  const result = object({
    status: data(Number(response.status)),
    body: data(body),
    headers: data(parseJson(JSON.stringify(response.headers ?? {}))),
    json: held(env.fn("json", () => env.ops.parse(body))),
    text: held(env.fn("text", () => env.vm.newString(body))),
  });
  return build(env, result).dup();
}
