import { toJson, type DescMethod, type JsonObject, type MutableRegistry } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import type { Logger } from "../../logger.js";
import { parseDeadline } from "./deadline.js";
import { codeToHttpStatus, errorToJson } from "./error-body.js";
import { compileHttpRules, type Binding } from "./http-rule.js";
import { type CallContext, callUnary, type CallTarget, clientLeft, type ImplementedService, observeEarlyEnd, unaryTargets } from "../invoke-unary.js";
import { forwardedHeaders, metadataToHttp } from "./metadata.js";
import { headerValue, type NodeRequest, type NodeResponse, requestPath, watchClient } from "../node-http.js";
import { discardBody, readBody } from "../read-body.js";
import { bindRequest } from "./request-binding.js";
import { createRouteTable, type Route } from "./route-table.js";
import { createTypeRegistry } from "./type-registry.js";
import { writeJson } from "./write-json.js";

export interface RestService extends ImplementedService {
  /** Where the service's routes live, e.g. "/management/v1" (ZITADEL's OpenAPI base_path). */
  prefix: string;
}

export interface RestGatewayOptions extends CallContext {
  services: RestService[];
  readMaxBytes: number;
  log: Logger;
}

/**
 * Zero values are left out, as ZITADEL's own JSONPb marshaler does (docs/wire-contract.md),
 * e.g. no `allowedToFail: false`; grpc-gateway's default would emit them.
 */
const responseJsonOptions = { alwaysEmitImplicit: false } as const;

export interface RestGateway {
  /** Serves a request; written as connect-node's `fallback`, so every request the RPC router did not claim ends here and gets an answer. */
  serve(req: NodeRequest, res: NodeResponse): void;
  /** The method a request's route calls, or undefined for a path no route serves. */
  methodOf(req: NodeRequest): DescMethod | undefined;
  /** Answers with an error as the gateway writes errors, for whoever refuses a request before it is served. */
  writeError(res: NodeResponse, err: ConnectError): void;
  /** Every route's binding, in declaration order: what the OpenAPI document (openapi/) describes. */
  readonly bindings: readonly Binding[];
}

/** REST transcoding (google.api.http) as ZITADEL's grpc-gateway serves it. */
export function createRestGateway(opts: RestGatewayOptions): RestGateway {
  const registry = createTypeRegistry(opts.services.map((s) => s.service));
  const routes: Route<CallTarget>[] = [];
  for (const s of opts.services) {
    for (const { method, target } of unaryTargets(s)) {
      for (const binding of compileHttpRules(method, s.prefix)) routes.push({ binding, target });
    }
  }
  const lookup = createRouteTable(routes);
  const ctx: Served = { ...opts, lookup, registry };

  return {
    serve(req, res) {
      serve(ctx, req, res).catch((err: unknown) => {
        opts.log.error("rest: request failed", { err, method: req.method, path: requestPath(req) });
        writeJson(res, 500, internalError);
      });
    },
    methodOf(req) {
      const found = lookup(req.method ?? "", requestPath(req));
      return found.kind === "match" ? found.route.target.spec.method : undefined;
    },
    writeError: (res, err) => writeError(ctx, res, err, new Headers()),
    bindings: routes.map((r) => r.binding),
  };
}

interface Served extends CallContext {
  lookup: ReturnType<typeof createRouteTable<CallTarget>>;
  registry: MutableRegistry;
  readMaxBytes: number;
  log: Logger;
}

const internalError = { code: Code.Internal, message: "internal error" };

async function serve(ctx: Served, req: NodeRequest, res: NodeResponse): Promise<void> {
  const found = ctx.lookup(req.method ?? "", requestPath(req));
  switch (found.kind) {
    case "not-found":
      return writeJson(res, 404, { code: Code.NotFound, message: "Not Found" });
    case "method-not-allowed":
      return writeJson(res, 405, { code: Code.Unimplemented, message: "Method Not Allowed" });
    case "bad-path":
      return invalidArgument(res, found.error);
  }
  const { binding, target } = found.route;
  // From here on this is a call of the route's method: one that ends before the interceptors is told to its observer here.
  const startedAt = performance.now();

  const deadline = parseDeadline(headerValue(req, "grpc-timeout"), headerValue(req, "connect-timeout-ms"));
  if (deadline.error !== undefined) return refuseCall(target, req, res, deadline.error, startedAt);

  const client = watchClient(res);
  const body = await readRequestBody(ctx, binding, req, res);
  if (body !== undefined && "unread" in body) return observeEarlyEnd(target, req, "rest", body.unread, startedAt);
  const bound = bindRequest(binding, found.values, new URLSearchParams(queryOf(req)), body, ctx.registry);
  if (bound.error !== undefined) return refuseCall(target, req, res, bound.error, startedAt);

  const result = await callUnary(target, bound.message, {
    protocolName: "rest",
    url: urlOf(req),
    requestHeader: forwardedHeaders(req.headers),
    timeoutMs: deadline.timeoutMs,
    client,
    shutdownSignal: ctx.shutdownSignal,
    contextValues: ctx.contextValues?.(req),
  });
  if (result.ok) {
    const json = toJson(binding.method.output, result.message, { ...responseJsonOptions, registry: ctx.registry });
    const payload = binding.responseBody ? ((json as JsonObject)[binding.responseBody.jsonName] ?? null) : json;
    return writeJson(res, 200, payload, metadataToHttp(result.responseHeader));
  }
  if (!(result.error instanceof ConnectError)) {
    // The error-mapping interceptor makes every expected failure a ConnectError; anything else is a bug whose text stays in the log.
    ctx.log.error("rest: handler failed", { err: result.error, rpc: `${binding.method.parent.typeName}/${binding.method.name}` });
    return writeJson(res, 500, internalError, metadataToHttp(result.responseHeader));
  }
  writeError(ctx, res, result.error, result.responseHeader);
}

function writeError(ctx: Served, res: NodeResponse, err: ConnectError, responseHeader: Headers): void {
  writeJson(res, codeToHttpStatus(err.code), errorToJson(err, ctx.registry, ctx.log), metadataToHttp(responseHeader, err.metadata));
}

/**
 * The body for rules that take one; undefined for those that ignore it. A
 * body that never arrived whole is `unread`, with the error the call ends
 * with: too large (answered here) or its client gone.
 */
async function readRequestBody(ctx: Served, binding: Binding, req: NodeRequest, res: NodeResponse): Promise<Uint8Array | undefined | { unread: ConnectError }> {
  if (binding.body === undefined) return undefined; // Node drains an unread body itself
  const read = await readBody(req, ctx.readMaxBytes);
  if (read.kind === "ok") return read.bytes;
  if (read.kind === "aborted") return { unread: clientLeft };
  const message = `request body larger than ${ctx.readMaxBytes} bytes`;
  writeJson(res, 413, { code: Code.ResourceExhausted, message });
  discardBody(req, Math.max(ctx.readMaxBytes, 1 << 20));
  return { unread: new ConnectError(message, Code.ResourceExhausted) };
}

/** Answers a call of a route InvalidArgument before the interceptors ran, and tells its observer. */
function refuseCall(target: CallTarget, req: NodeRequest, res: NodeResponse, message: string, startedAt: number): void {
  observeEarlyEnd(target, req, "rest", new ConnectError(message, Code.InvalidArgument), startedAt);
  invalidArgument(res, message);
}

function invalidArgument(res: NodeResponse, message: string): void {
  writeJson(res, 400, { code: Code.InvalidArgument, message });
}

function queryOf(req: NodeRequest): string {
  const url = req.url ?? "";
  const q = url.indexOf("?");
  return q === -1 ? "" : url.slice(q + 1);
}

function urlOf(req: NodeRequest): string {
  const host = headerValue(req, "host") ?? headerValue(req, ":authority") ?? "localhost";
  const scheme = "encrypted" in req.socket ? "https" : "http";
  return `${scheme}://${host}${req.url ?? "/"}`;
}
