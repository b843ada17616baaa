import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient, type Client } from "@connectrpc/connect";
import { connectNodeAdapter, createGrpcTransport } from "@connectrpc/connect-node";
import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  Health,
  type HealthCheckRequest,
  HealthCheckRequestSchema,
  type HealthCheckResponse,
  HealthCheckResponse_ServingStatus as ServingStatus,
  HealthCheckResponseSchema,
} from "../../gen/grpc/health/v1/health_pb.js";
import { type H2TestServer, startH2TestServer } from "../../test/support/h2-test-server.js";
import { createHealthService, createHealthStatus, type HealthStatus } from "./health.js";

const management = "zitadel.management.v1.ManagementService";

let health: HealthStatus;
let activeWatchers = 0;
let server: H2TestServer;
let client: Client<typeof Health>;

beforeAll(async () => {
  const real = createHealthStatus();
  // Counts live subscriptions, so a test can see the server side of Watch end.
  health = {
    ...real,
    subscribe(listener) {
      activeWatchers++;
      const off = real.subscribe(listener);
      return () => {
        activeWatchers--;
        off();
      };
    },
  };
  server = await startH2TestServer(connectNodeAdapter({ routes: (router) => router.service(...createHealthService(health)) }));
  // connect-node 2.1.2 speaks gRPC over HTTP/2 only; its options have no httpVersion.
  client = createClient(Health, createGrpcTransport({ baseUrl: server.baseUrl }));
});

afterAll(() => server.close());

describe("health over connect-node gRPC", () => {
  it("Check reports SERVING for the server and the management service", async () => {
    expect((await client.check({ service: "" })).status).toBe(ServingStatus.SERVING);
    expect((await client.check({ service: management })).status).toBe(ServingStatus.SERVING);
  });

  it("Check of an unknown service fails with NOT_FOUND", async () => {
    const err = await client.check({ service: "no.such.Service" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectError);
    expect((err as ConnectError).code).toBe(Code.NotFound);
  });

  it("List returns every known service", async () => {
    const res = await client.list({});
    expect(Object.keys(res.statuses).sort()).toEqual(["", "actiond.v1.ExecutionService", management]);
    expect(res.statuses[management]?.status).toBe(ServingStatus.SERVING);
  });

  it("Watch sends the current status, each change, and ends when the client cancels", async () => {
    const abort = new AbortController();
    const stream = client.watch({ service: management }, { signal: abort.signal })[Symbol.asyncIterator]();
    try {
      expect((await stream.next()).value?.status).toBe(ServingStatus.SERVING);
      health.setServing(false);
      expect((await stream.next()).value?.status).toBe(ServingStatus.NOT_SERVING);
      health.setServing(true);
      expect((await stream.next()).value?.status).toBe(ServingStatus.SERVING);
      expect(activeWatchers).toBe(1);
    } finally {
      health.setServing(true);
      abort.abort();
    }
    await expect(stream.next()).rejects.toMatchObject({ code: Code.Canceled });
    await vi.waitFor(() => expect(activeWatchers).toBe(0));
  });

  it("Watch of an unknown service sends SERVICE_UNKNOWN and stays open", async () => {
    const abort = new AbortController();
    const stream = client.watch({ service: "no.such.Service" }, { signal: abort.signal })[Symbol.asyncIterator]();
    expect((await stream.next()).value?.status).toBe(ServingStatus.SERVICE_UNKNOWN);
    // A flip of the known services is no change for this one, so nothing is sent.
    health.setServing(false);
    health.setServing(true);
    const next = stream.next();
    const raced = await Promise.race([next.then(() => "message"), new Promise((r) => setTimeout(r, 100, "quiet"))]);
    expect(raced).toBe("quiet");
    abort.abort();
    await expect(next).rejects.toMatchObject({ code: Code.Canceled });
    await vi.waitFor(() => expect(activeWatchers).toBe(0));
  });
});

describe("health over @grpc/grpc-js", () => {
  // A generic client from the protobuf-es descriptor, so no protobufjs copy of health.proto is needed.
  const HealthClient = grpc.makeGenericClientConstructor(
    {
      check: {
        path: `/${Health.typeName}/${Health.method.check.name}`,
        requestStream: false,
        responseStream: false,
        requestSerialize: (m: HealthCheckRequest) => Buffer.from(toBinary(HealthCheckRequestSchema, m)),
        requestDeserialize: (b: Buffer) => fromBinary(HealthCheckRequestSchema, b),
        responseSerialize: (m: HealthCheckResponse) => Buffer.from(toBinary(HealthCheckResponseSchema, m)),
        responseDeserialize: (b: Buffer) => fromBinary(HealthCheckResponseSchema, b),
      },
    },
    "Health",
  );

  const check = (service: string) =>
    new Promise<HealthCheckResponse>((resolve, reject) => {
      const c = new HealthClient(`127.0.0.1:${server.port}`, grpc.credentials.createInsecure());
      c.check(create(HealthCheckRequestSchema, { service }), (err: grpc.ServiceError | null, res?: HealthCheckResponse) => {
        c.close();
        if (err) reject(err);
        else resolve(res!);
      });
    });

  it("Check reports SERVING", async () => {
    expect((await check("")).status).toBe(ServingStatus.SERVING);
  });

  it("Check of an unknown service gets status NOT_FOUND", async () => {
    await expect(check("no.such.Service")).rejects.toMatchObject({ code: grpc.status.NOT_FOUND });
  });
});
