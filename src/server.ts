import type { Interceptor } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { createValidateInterceptor } from "@connectrpc/validate";
import { createExecutionService } from "./api/execution/execution-service.js";
import { createManagementService, type ManagementDeps } from "./api/management/index.js";
import { createActionVersionService } from "./api/action-version/action-version-service.js";
import { createSecretService } from "./api/secret/secret-service.js";
import { createZitadelTargetService } from "./api/zitadel-target/zitadel-target-service.js";
import { createZitadelTargetCalls } from "./api/zitadel-target-call/index.js";
import { createZitadelCallVerifier } from "./auth/zitadel-call/index.js";
import type { ZitadelTargetConfig } from "./config.js";
import { ZitadelTargetService, file_actiond_v1_zitadel_target } from "../gen/actiond/v1/zitadel_target_pb.js";
import { SecretService, file_actiond_v1_secret } from "../gen/actiond/v1/secret_pb.js";
import { ActionVersionService, file_actiond_v1_action_version } from "../gen/actiond/v1/action_version_pb.js";
import type { SecretBox } from "./store/secret-box.js";
import type { ExecuteDeps } from "./execution/execute.js";
import { ExecutionService, file_actiond_v1_execution } from "../gen/actiond/v1/execution_pb.js";
import type { Authorize } from "./auth/authorize.js";
import type { Logger } from "./logger.js";
import type { DescMethod, DescService } from "@bufbuild/protobuf";
import { createAuthGate, createTokenGuard, gateContextValues } from "./transport/auth-gate.js";
import { createAuthInterceptor } from "./transport/auth-interceptor.js";
import { createCallerResolver } from "./transport/caller-verdict.js";
import { createEarlyAnswer } from "./transport/early-answer.js";
import { createRequestBudget } from "./transport/request-budget.js";
import { signalRaceInterceptor } from "./transport/signal-race.js";
import { type CallMetrics, createCallLogInterceptor, createCallObserver } from "./transport/call-log.js";
import { createCors } from "./transport/cors.js";
import { createErrorMappingInterceptor } from "./transport/error-mapping.js";
import { createUnaryHandler } from "./transport/unary-handler.js";
import { createGrpcWebTextHandler, isGrpcWebText } from "./transport/grpc-web-text.js";
import { createHealthService, type HealthStatus } from "./transport/health.js";
import { healthEndpoints } from "./transport/health-endpoints.js";
import { type MetricsExposition, metricsEndpoint } from "./transport/metrics-endpoint.js";
import { createOpsEndpoints } from "./transport/ops-endpoints.js";
import { assignRequestId } from "./transport/request-id.js";
import { registerReflection } from "./transport/reflection/index.js";
import type { NodeRequest, NodeResponse } from "./transport/node-http.js";
import { createOpenApiRoute, createRestGateway } from "./transport/rest/index.js";
import { type ConsoleRouteOptions, createConsoleRoute } from "./transport/console/index.js";
import { type TargetCallMetrics, createZitadelTargetRoute } from "./transport/zitadel-target-route.js";
import { file_grpc_health_v1_health } from "../gen/grpc/health/v1/health_pb.js";
import { file_grpc_reflection_v1_reflection } from "../gen/grpc/reflection/v1/reflection_pb.js";
import { file_grpc_reflection_v1alpha_reflection } from "../gen/grpc/reflection/v1alpha/reflection_pb.js";
import { ManagementService, file_zitadel_management_v1_management } from "../gen/zitadel/management/v1/management_pb.js";

/** What `buf curl` and grpcurl discover through reflection. */
const reflectedFiles = [
  file_zitadel_management_v1_management,
  file_actiond_v1_execution,
  file_actiond_v1_zitadel_target,
  file_actiond_v1_secret,
  file_actiond_v1_action_version,
  file_grpc_health_v1_health,
  file_grpc_reflection_v1_reflection,
  file_grpc_reflection_v1alpha_reflection,
];

export interface ServerDeps extends ManagementDeps {
  /** Seals and opens secrets at rest (store/secret-box.ts). */
  secrets: SecretBox;
  authorize: Authorize;
  log: Logger;
  maxMessageBytes: number;
  /** Request body bytes held in memory across the process at most (transport/request-budget.ts). */
  requestBufferBytes: number;
  corsOrigins: string[];
  health: HealthStatus;
  /** What the transport counts, and the registry `/metrics` serves (docs/observability.md). */
  metrics: CallMetrics & TargetCallMetrics & { readonly registry: MetricsExposition };
  execute: ExecuteDeps;
  /** The endpoint ZITADEL Actions v2 calls: its body cap and signature window. */
  zitadelTarget: ZitadelTargetConfig;
  /** Aborted when shutdown starts: ends long-lived streams (health Watch) so they do not hold it up. */
  shutdown: AbortSignal;
  /** Aborted when the shutdown grace period is over: calls still running answer Unavailable at once. */
  stop: AbortSignal;
  /** The web console's built files, served at /console/ (transport/console/). */
  console: ConsoleRouteOptions;
}

export interface RequestListener {
  (req: NodeRequest, res: NodeResponse): void;
  /** Request body bytes held now (transport/request-budget.ts). */
  readonly heldRequestBytes: number;
}

/**
 * The request listener for every protocol on the one port: CORS first, then
 * the auth gate, which refuses strangers on the headers before any body is
 * read, and the request budget; then the endpoint ZITADEL's Actions v2
 * calls, /openapi.json and the web console's files, unary gRPC (our lean path), grpc-web-text (which connect-es lacks),
 * then connect-node (streaming gRPC, gRPC-Web, Connect), whose fallback is
 * the REST gateway. Builds without listening.
 */
export function createRequestListener(deps: ServerDeps): RequestListener {
  // The guarded services, served on every protocol; `prefix` is where their REST routes live.
  const rpc = [
    { service: ManagementService, impl: createManagementService(deps), prefix: "/management/v1" },
    { service: ExecutionService, impl: createExecutionService(deps.execute), prefix: "" },
    { service: ZitadelTargetService, impl: createZitadelTargetService(deps), prefix: "" },
    { service: SecretService, impl: createSecretService(deps), prefix: "" },
    { service: ActionVersionService, impl: createActionVersionService(deps), prefix: "" },
  ];
  const resolveCaller = createCallerResolver(deps.authorize, rpc.map((s) => s.service));
  const observe = createCallObserver(deps.log, deps.metrics);
  // Outermost first: the call log sees the final code; errors are mapped
  // once; the signal race answers past a deadline or the grace period; auth
  // runs before validation, as in ZITADEL.
  const open: Interceptor[] = [createErrorMappingInterceptor(deps.log), signalRaceInterceptor];
  const guarded: Interceptor[] = [createCallLogInterceptor(observe), ...open, createAuthInterceptor(resolveCaller), createValidateInterceptor()];
  const guardedRpc = rpc.map((s) => ({ ...s, interceptors: guarded, observe }));
  const limits = { readMaxBytes: deps.maxMessageBytes, writeMaxBytes: deps.maxMessageBytes * 4 };
  const call = { shutdownSignal: deps.stop, contextValues: gateContextValues };
  // Strict Connect JSON: protobuf-es would also drop unknown enum names with
  // unknown fields, and a silently ignored filter is worse than an error.
  // connect-es decodes JSON bodies with the TextDecoder it is given (the
  // option is read but not typed): a fatal one refuses invalid UTF-8 instead
  // of storing U+FFFD in its place.
  const jsonOptions = { ignoreUnknownFields: false, textDecoder: new TextDecoder("utf-8", { fatal: true }) } as object;

  const rest = createRestGateway({ services: guardedRpc, readMaxBytes: deps.maxMessageBytes, log: deps.log, ...call });
  const openApi = createOpenApiRoute(rest.bindings);
  const consoleFiles = createConsoleRoute(deps.console);
  const [health, healthImpl] = createHealthService(deps.health);
  const unary = createUnaryHandler({
    services: [...guardedRpc, { service: health, impl: healthImpl, interceptors: open }],
    ...limits,
    jsonOptions,
    log: deps.log,
    ...call,
  });
  let handlers: Parameters<typeof createGrpcWebTextHandler>[0] = [];
  const adapter = connectNodeAdapter({
    ...limits,
    jsonOptions,
    contextValues: gateContextValues,
    routes(router) {
      for (const s of guardedRpc) router.service(s.service, s.impl, { interceptors: s.interceptors, shutdownSignal: deps.stop });
      router.service(health, healthImpl, { interceptors: open, shutdownSignal: deps.shutdown });
      registerReflection(router, reflectedFiles, { interceptors: open });
      handlers = router.handlers;
    },
    fallback: rest.serve,
  });
  const grpcWebText = createGrpcWebTextHandler(handlers, deps.maxMessageBytes);
  const cors = createCors({ allowedOrigins: deps.corsOrigins });
  const answerEarly = createEarlyAnswer(new Set(handlers.map((h) => h.requestPath)), rest.writeError);
  const budget = createRequestBudget(deps.requestBufferBytes);
  const zitadelTargets = createZitadelTargetRoute({
    calls: createZitadelTargetCalls({
      execute: deps.execute,
      secrets: deps.secrets,
      verifier: createZitadelCallVerifier({ toleranceSeconds: deps.zitadelTarget.signatureToleranceSeconds }),
      log: deps.log,
    }),
    maxBodyBytes: deps.zitadelTarget.maxBodyBytes,
    budget,
    stop: deps.stop,
    metrics: deps.metrics,
    log: deps.log,
  });
  const tokens = createTokenGuard({ resolve: resolveCaller, rpcMethods: rpcMethodsOf(rpc), restMethodOf: rest.methodOf, refuse: answerEarly, observe, log: deps.log });
  const gate = createAuthGate([tokens, zitadelTargets.guard]);

  const serve = (req: NodeRequest, res: NodeResponse) => {
    // The endpoint reads its body through the budget itself, to answer a refusal in its own form.
    if (zitadelTargets.serve(req, res)) return;
    if (openApi(req, res)) return;
    if (consoleFiles(req, res)) return;
    const refusal = budget.admit(req, res);
    if (refusal) return tokens.refuseEarly(req, res, refusal);
    if (unary(req, res)) return;
    if (!isGrpcWebText(req)) return adapter(req, res);
    grpcWebText(req, res)
      .then((handled) => {
        if (!handled) adapter(req, res);
      })
      .catch((err: unknown) => failed(res, err));
  };
  const failed = (res: NodeResponse, err: unknown) => {
    deps.log.error("request failed", { err });
    if (!res.headersSent) res.writeHead(500);
    res.end();
  };

  const ops = createOpsEndpoints({ ...healthEndpoints(deps.health), ...metricsEndpoint(deps.metrics.registry) }, deps.log);

  const listener = (req: NodeRequest, res: NodeResponse) => {
    if (ops(req, res)) return;
    assignRequestId(req, res);
    if (cors(req, res)) return;
    const gated = gate(req, res);
    if (!gated) return serve(req, res);
    gated.then((pass) => pass && serve(req, res)).catch((err: unknown) => failed(res, err));
  };
  return Object.defineProperty(listener, "heldRequestBytes", { get: () => budget.held }) as RequestListener;
}

/** The RPC paths of the guarded services' methods. */
function rpcMethodsOf(services: { service: DescService }[]): Map<string, DescMethod> {
  return new Map(services.flatMap(({ service }) => service.methods.map((m) => [`/${service.typeName}/${m.name}`, m] as const)));
}
