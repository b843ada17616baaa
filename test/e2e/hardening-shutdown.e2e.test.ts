import { Code, ConnectError, createClient, type Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { describe, expect, it } from "vitest";
import { ExecutionService } from "../../gen/actiond/v1/execution_pb.js";
import { headerInterceptor } from "../support/management-clients.js";
import { startTestServer } from "../support/test-server.js";

// Issue 9, item 9 (one point): past the shutdown grace period, calls still
// running get a clean Unavailable in their protocol's form, not a reset.

const spin = { name: "spin", script: "function spin(ctx, api) { while (true) {} }", timeout: "20s", flowType: "2", triggerType: "5" };

describe("shutdown past the grace period", () => {
  it("answers calls still running with Unavailable in each protocol's form, then closes", async () => {
    const server = await startTestServer({ shutdownGraceMs: 500 });
    const auth = headerInterceptor(() => ({ authorization: `Bearer ${server.adminToken}` }));
    const transports: Record<string, Transport> = {
      grpc: createGrpcTransport({ baseUrl: server.baseUrl, interceptors: [auth] }),
      "grpc-web": createGrpcWebTransport({ baseUrl: server.baseUrl, httpVersion: "1.1", interceptors: [auth] }),
      connect: createConnectTransport({ baseUrl: server.baseUrl, httpVersion: "1.1", interceptors: [auth] }),
    };
    const rpc = Object.entries(transports).map(([protocol, transport]) =>
      createClient(ExecutionService, transport)
        .testAction({ ...spin, timeout: { seconds: 20n } })
        .then(
          () => ({ protocol, code: "ok" }),
          (err: unknown) => ({ protocol, code: Code[ConnectError.from(err).code], message: ConnectError.from(err).rawMessage }),
        ),
    );
    const rest = fetch(`${server.baseUrl}/v1/actions/_test`, {
      method: "POST",
      headers: { authorization: `Bearer ${server.adminToken}` },
      body: JSON.stringify(spin),
    }).then(async (res) => ({ status: res.status, body: await res.json() }));

    // Every call has arrived (the first runs, the others wait for a worker).
    await expect.poll(() => server.app.load().requests, { timeout: 10_000 }).toBe(4);
    const started = performance.now();
    const closed = server.close();

    for (const answer of await Promise.all(rpc)) {
      expect(answer).toEqual({ protocol: answer.protocol, code: "Unavailable", message: "the server is shutting down" });
    }
    expect(await rest).toEqual({ status: 503, body: { code: Code.Unavailable, message: "the server is shutting down" } });
    await closed;
    // Grace, then the answers, then the sockets: well before the runs' own 20 s.
    expect(performance.now() - started).toBeLessThan(10_000);
  }, 30_000);
});
