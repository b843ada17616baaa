import { Code, ConnectError, type HandlerContext, type ServiceImpl } from "@connectrpc/connect";
import type { MessageInitShape } from "@bufbuild/protobuf";
import {
  Health,
  type HealthCheckRequest,
  HealthCheckResponse_ServingStatus as ServingStatus,
  type HealthCheckResponseSchema,
} from "../../gen/grpc/health/v1/health_pb.js";
import { ExecutionService } from "../../gen/actiond/v1/execution_pb.js";
import { ManagementService } from "../../gen/zitadel/management/v1/management_pb.js";

/** Serving state shared by the health service and the process lifecycle. */
export interface HealthStatus {
  /** Flips every known service at once: the process serves all of them or none. */
  setServing(serving: boolean): void;
  /** SERVICE_UNKNOWN for a name that is not known. */
  status(service: string): ServingStatus;
  /** The known service names; "" stands for the server as a whole. */
  services(): string[];
  /** Calls `listener` after every change; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
}

const knownServices = ["", ManagementService.typeName, ExecutionService.typeName];

export function createHealthStatus(): HealthStatus {
  let serving = true;
  const listeners = new Set<() => void>();
  return {
    setServing(next) {
      if (next === serving) return;
      serving = next;
      // Copy: a listener may unsubscribe while we iterate.
      for (const listener of [...listeners]) listener();
    },
    status(service) {
      if (!knownServices.includes(service)) return ServingStatus.SERVICE_UNKNOWN;
      return serving ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
    },
    services: () => [...knownServices],
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

type CheckResponseInit = MessageInitShape<typeof HealthCheckResponseSchema>;

/** grpc.health.v1.Health with the semantics of gRPC's health-checking.md. */
export function createHealthService(status: HealthStatus): [typeof Health, ServiceImpl<typeof Health>] {
  return [
    Health,
    {
      check(req) {
        const current = status.status(req.service);
        // The spec reserves SERVICE_UNKNOWN for Watch; Check reports NOT_FOUND instead.
        if (current === ServingStatus.SERVICE_UNKNOWN) {
          throw new ConnectError(`unknown service ${JSON.stringify(req.service)}`, Code.NotFound);
        }
        return { status: current };
      },
      watch: (req, ctx) => watch(status, req, ctx),
      list() {
        const statuses: Record<string, CheckResponseInit> = {};
        for (const name of status.services()) statuses[name] = { status: status.status(name) };
        return { statuses };
      },
    },
  ];
}

/**
 * Sends the current status, then one message per actual change. A change that
 * arrives while the consumer is slow only marks the state dirty, so a burst of
 * flips collapses into the latest status instead of queueing stale ones.
 */
async function* watch(status: HealthStatus, req: HealthCheckRequest, ctx: HandlerContext): AsyncGenerator<CheckResponseInit> {
  let dirty = false;
  let wake: (() => void) | undefined;
  const poke = () => {
    dirty = true;
    wake?.();
  };
  const unsubscribe = status.subscribe(poke);
  // Without this, a generator parked on the promise below would never see the client leave.
  ctx.signal.addEventListener("abort", poke);
  try {
    let last: ServingStatus | undefined;
    while (!ctx.signal.aborted) {
      dirty = false;
      const current = status.status(req.service);
      if (current !== last) {
        last = current;
        yield { status: current };
      }
      if (!dirty && !ctx.signal.aborted) await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
  } finally {
    unsubscribe();
    ctx.signal.removeEventListener("abort", poke);
  }
}
