import type { Interceptor } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { createValidateInterceptor } from "@connectrpc/validate";
import { createExecutionService } from "./api/execution/execution-service.js";
import { createManagementService, type ManagementDeps } from "./api/management/index.js";
import type { ExecuteDeps } from "./execution/execute.js";
import { ExecutionService, file_actiond_v1_execution } from "../gen/actiond/v1/execution_pb.js";
import type { Authorize } from "./auth/authorize.js";
import type { Logger } from "./logger.js";
import { createAuthInterceptor } from "./transport/auth-interceptor.js";
import { createCallLogInterceptor } from "./transport/call-log.js";
import { createCors } from "./transport/cors.js";
import { createErrorMappingInterceptor } from "./transport/error-mapping.js";
import { createGrpcUnaryHandler } from "./transport/grpc-unary.js";
import { createGrpcWebTextHandler, isGrpcWebText } from "./transport/grpc-web-text.js";
import { createHealthService, type HealthStatus } from "./transport/health.js";
import { registerReflection } from "./transport/reflection/index.js";
import type { NodeRequest, NodeResponse } from "./transport/node-http.js";
import { createRestGateway } from "./transport/rest/index.js";
import { file_grpc_health_v1_health } from "../gen/grpc/health/v1/health_pb.js";
import { file_grpc_reflection_v1_reflection } from "../gen/grpc/reflection/v1/reflection_pb.js";
import { file_grpc_reflection_v1alpha_reflection } from "../gen/grpc/reflection/v1alpha/reflection_pb.js";
import { ManagementService, file_zitadel_management_v1_management } from "../gen/zitadel/management/v1/management_pb.js";

/** What `buf curl` and grpcurl discover through reflection. */
const reflectedFiles = [
  file_zitadel_management_v1_management,
  file_actiond_v1_execution,
  file_grpc_health_v1_health,
  file_grpc_reflection_v1_reflection,
  file_grpc_reflection_v1alpha_reflection,
];

export interface ServerDeps extends ManagementDeps {
  authorize: Authorize;
  log: Logger;
  maxMessageBytes: number;
  corsOrigins: string[];
  health: HealthStatus;
  execute: ExecuteDeps;
  /** Aborted when shutdown starts: ends long-lived streams (health Watch) so they do not hold it up. */
  shutdown: AbortSignal;
}

/**
 * The request listener for every protocol on the one port: CORS first, then
 * unary gRPC (our lean path), grpc-web-text (which connect-es lacks), then
 * connect-node (streaming gRPC, gRPC-Web, Connect), whose fallback is the REST
 * gateway. Builds without listening.
 */
export function createRequestListener(deps: ServerDeps): (req: NodeRequest, res: NodeResponse) => void {
  // The guarded services, served on every protocol; `prefix` is where their REST routes live.
  const rpc = [
    { service: ManagementService, impl: createManagementService(deps), prefix: "/management/v1" },
    { service: ExecutionService, impl: createExecutionService(deps.execute), prefix: "" },
  ];
  const errors = createErrorMappingInterceptor(deps.log);
  // Outermost first: the call log sees the final code; errors are mapped
  // once; auth runs before validation, as in ZITADEL.
  const guarded: Interceptor[] = [
    createCallLogInterceptor(deps.log),
    errors,
    createAuthInterceptor(deps.authorize, rpc.map((s) => s.service)),
    createValidateInterceptor(),
  ];
  // Added here, not in `rpc`: auth needs the service list before the chain exists.
  const guardedRpc = rpc.map((s) => ({ ...s, interceptors: guarded }));
  const limits = { readMaxBytes: deps.maxMessageBytes, writeMaxBytes: deps.maxMessageBytes * 4 };

  const rest = createRestGateway({ services: guardedRpc, readMaxBytes: deps.maxMessageBytes, log: deps.log });
  const [health, healthImpl] = createHealthService(deps.health);
  const grpcUnary = createGrpcUnaryHandler({
    services: [...guardedRpc, { service: health, impl: healthImpl, interceptors: [errors] }],
    ...limits,
    log: deps.log,
  });
  let handlers: Parameters<typeof createGrpcWebTextHandler>[0] = [];
  const adapter = connectNodeAdapter({
    ...limits,
    // Strict Connect JSON: protobuf-es would also drop unknown enum names with
    // unknown fields, and a silently ignored filter is worse than an error.
    // connect-es decodes JSON bodies with the TextDecoder it is given (the
    // option is read but not typed): a fatal one refuses invalid UTF-8 instead
    // of storing U+FFFD in its place.
    jsonOptions: { ignoreUnknownFields: false, textDecoder: new TextDecoder("utf-8", { fatal: true }) } as object,
    routes(router) {
      for (const s of guardedRpc) router.service(s.service, s.impl, { interceptors: s.interceptors });
      router.service(health, healthImpl, { interceptors: [errors], shutdownSignal: deps.shutdown });
      registerReflection(router, reflectedFiles, { interceptors: [errors] });
      handlers = router.handlers;
    },
    fallback: rest,
  });
  const grpcWebText = createGrpcWebTextHandler(handlers, deps.maxMessageBytes);
  const cors = createCors({ allowedOrigins: deps.corsOrigins });

  return (req, res) => {
    if (cors(req, res) || grpcUnary(req, res)) return;
    if (!isGrpcWebText(req)) return adapter(req, res);
    grpcWebText(req, res)
      .then((handled) => {
        if (!handled) adapter(req, res);
      })
      .catch((err: unknown) => {
        deps.log.error("request failed", { err });
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
  };
}
