import type { DescMessage, DescMethod, DescService, Message } from "@bufbuild/protobuf";
import {
  Code,
  ConnectError,
  createContextValues,
  createServiceImplSpec,
  type ContextValues,
  type HandlerContext,
  type Interceptor,
  type MethodImplSpec,
  type ServiceImpl,
} from "@connectrpc/connect";
import { type createMethodSerializationLookup, invokeUnaryImplementation } from "@connectrpc/connect/protocol";
import type { CallObserver } from "./call-log.js";
import type { CallProtocol } from "./call-protocol.js";
import { callCompleted, callSignal } from "./call-signal.js";
import { type ClientWatch, handlerHeaders, headerValue, joinedHeader, type NodeRequest } from "./node-http.js";
import { orgHeader } from "./org-header.js";
import { requestIdOf } from "./request-id.js";
import { signalRaceInterceptor } from "./signal-race.js";

/** A method's message (de)serializers with connect's size limits, binary or JSON. */
export type Serializers = ReturnType<typeof createMethodSerializationLookup<DescMessage, DescMessage>>;

export interface CallTarget {
  spec: MethodImplSpec<DescMessage, DescMessage> & { kind: "unary" };
  interceptors: Interceptor[];
  /** The service's observer of calls that end before the interceptors (see ImplementedService). */
  observe?: CallObserver;
}

export interface ImplementedService {
  service: DescService;
  /** A full implementation of `service` (typed loosely: one handler serves services of different types). */
  impl: ServiceImpl<any>;
  interceptors: Interceptor[];
  /**
   * Told the calls a transport ends before the interceptors run (a body too
   * large, a message that does not parse), so that every call of the
   * service is logged and counted once; the call-log interceptor tells the
   * others. Unset where the interceptors log nothing (health, reflection).
   */
  observe?: CallObserver;
}

/** The unary methods of a service with what calls them, built once at start-up; streams are left to connect-node. */
export function unaryTargets({ service, impl, interceptors, observe }: ImplementedService): { method: DescMethod; target: CallTarget }[] {
  // `any`: the impl is checked against its service where the caller builds it, not here.
  const specs = createServiceImplSpec<any>(service, impl);
  const targets: { method: DescMethod; target: CallTarget }[] = [];
  for (const method of service.methods) {
    const spec = specs.methods[method.localName];
    if (spec?.kind === "unary") targets.push({ method, target: { spec, interceptors: raced(interceptors), observe } });
  }
  return targets;
}

/** What a call whose body never arrived whole is logged and counted as: its client left, and nothing is answered. */
export const clientLeft = new ConnectError("client disconnected", Code.Canceled);

/** Tells the target's observer of a call that a transport ended before its interceptors ran. */
export function observeEarlyEnd(target: CallTarget, req: NodeRequest, protocol: CallProtocol, error: unknown, startedAt: number): void {
  target.observe?.({
    method: target.spec.method,
    protocol,
    requestId: requestIdOf(req),
    org: joinedHeader(req, orgHeader),
    error,
    startedAt,
  });
}

/**
 * The invoker does not watch the deadline, so every chain it runs races the
 * call against its signal (transport/signal-race.ts): innermost when the
 * chain does not place the race itself, so the outer interceptors still see
 * the code the client gets.
 */
function raced(interceptors: Interceptor[]): Interceptor[] {
  return interceptors.includes(signalRaceInterceptor) ? interceptors : [...interceptors, signalRaceInterceptor];
}

/** What a transport hands every call it makes besides the request itself. */
export interface CallContext {
  /** Aborts when the shutdown grace period is over. */
  shutdownSignal?: AbortSignal;
  /** The values a call starts with, e.g. the auth gate's verdict (transport/auth-gate.ts). */
  contextValues?: (req: NodeRequest) => ContextValues;
}

export interface CallOptions {
  /** As connect names it in the handler context: "grpc", "rest"... */
  protocolName: string;
  url: string;
  requestHeader: Headers;
  timeoutMs: number | undefined;
  /** Aborts the call when the client goes away. */
  client: ClientWatch;
  shutdownSignal?: AbortSignal;
  contextValues?: ContextValues;
}

/** The call options of a request read by a unary transport: its URL and headers as connect-node gives them. */
export function callOptionsOf(req: NodeRequest, protocolName: string, timeoutMs: number | undefined, client: ClientWatch, context: CallContext): CallOptions {
  return {
    protocolName,
    url: `http://${headerValue(req, ":authority") ?? headerValue(req, "host") ?? "localhost"}${req.url}`,
    requestHeader: handlerHeaders(req),
    timeoutMs,
    client,
    shutdownSignal: context.shutdownSignal,
    contextValues: context.contextValues?.(req),
  };
}

export type CallResult =
  | { ok: true; message: Message; responseHeader: Headers }
  | { ok: false; error: unknown; responseHeader: Headers };

/**
 * Calls the implementation through connect's own unary invoker, so the same
 * interceptors run as through connect-node, without its per-call pipeline of
 * async iterables (3-4x faster, see docs/benchmarks.md). Every chain has the
 * signal race (see raced()), so a late handler cannot hold the response past
 * DeadlineExceeded, or past the shutdown grace period.
 */
export async function callUnary(target: CallTarget, input: Message, options: CallOptions): Promise<CallResult> {
  const { signal, end } = callSignal({ client: options.client, stop: options.shutdownSignal, timeoutMs: options.timeoutMs });
  const ctx = handlerContext(target.spec.method, options, signal);
  try {
    const message = await invokeUnaryImplementation(target.spec, ctx, input, target.interceptors);
    return { ok: true, message, responseHeader: ctx.responseHeader };
  } catch (error) {
    return { ok: false, error, responseHeader: ctx.responseHeader };
  } finally {
    // Also clears the deadline timer, which would otherwise outlive the call.
    end(callCompleted);
  }
}

const noDeadline = () => undefined;

/** What connect's createHandlerContext makes, on the call's one signal (transport/call-signal.ts). */
function handlerContext(method: DescMethod, options: CallOptions, signal: AbortSignal): HandlerContext {
  const deadline = options.timeoutMs === undefined ? undefined : Date.now() + options.timeoutMs;
  return {
    service: method.parent,
    method,
    protocolName: options.protocolName,
    // A REST call is a POST-like call whatever its verb; interceptors match on protocol semantics.
    requestMethod: "POST",
    url: options.url,
    signal,
    timeoutMs: deadline === undefined ? noDeadline : () => deadline - Date.now(),
    // The transports build this Headers for the call alone, so it needs no copy.
    requestHeader: options.requestHeader,
    responseHeader: new Headers(),
    responseTrailer: new Headers(),
    values: options.contextValues ?? createContextValues(),
  };
}
