import { HealthCheckResponse_ServingStatus as ServingStatus } from "../../gen/grpc/health/v1/health_pb.js";
import type { HealthStatus } from "./health.js";
import { type OpsEndpoint, plainText } from "./ops-endpoints.js";

/**
 * `GET /healthz` and `GET /readyz` for load balancers that speak HTTP rather
 * than gRPC's health service (docs/observability.md, Health). Alive: 200
 * whenever the process answers at all. Ready: the gRPC health service's
 * status of the server as a whole, from the same HealthStatus, so the two
 * cannot disagree: 200 while SERVING; 503 while the database is unreachable
 * and from the moment shutdown starts.
 */
export function healthEndpoints(status: HealthStatus): Record<string, OpsEndpoint> {
  return {
    "/healthz": () => ({ status: 200, contentType: plainText, body: "alive\n" }),
    "/readyz": () =>
      status.status("") === ServingStatus.SERVING
        ? { status: 200, contentType: plainText, body: "ready\n" }
        : { status: 503, contentType: plainText, body: "not ready\n" },
  };
}
