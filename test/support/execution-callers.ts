import { create, type DescMethodUnary, fromJson, type MessageInitShape, type MessageShape, toJson } from "@bufbuild/protobuf";
import { createClient, type Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import * as grpc from "@grpc/grpc-js";
import { ExecutionService } from "../../gen/actiond/v1/execution_pb.js";
import { fillRestPath, grpcJsServiceClient, headerInterceptor } from "./management-clients.js";

type Methods = typeof ExecutionService.method;
type MethodName = keyof Methods;
type In<M extends MethodName> = Methods[M] extends DescMethodUnary<infer I, infer _O> ? I : never;
type Out<M extends MethodName> = Methods[M] extends DescMethodUnary<infer _I, infer O> ? O : never;

/**
 * ExecutionService over one protocol, with each client's default limits, so
 * a test shows that an answer decodes everywhere (grpc-js reads at most
 * 4 MiB, and every protobuf decoder stops at 100 nested messages).
 */
export interface ExecutionCaller {
  protocol: string;
  call<M extends MethodName>(method: M, req: MessageInitShape<In<M>>): Promise<MessageShape<Out<M>>>;
  close(): void;
}

/** One caller per protocol the server speaks, for one token. */
export function executionCallers(server: { baseUrl: string; target: string }, token: string): ExecutionCaller[] {
  const { baseUrl } = server;
  const connect = (protocol: string, transport: (options: { baseUrl: string; interceptors: never[] }) => Transport): ExecutionCaller => {
    const interceptors = [headerInterceptor(() => ({ authorization: `Bearer ${token}` }))] as never[];
    const client = createClient(ExecutionService, transport({ baseUrl, interceptors }));
    return { protocol, call: (method, req) => (client[method] as (r: unknown) => Promise<never>)(req), close() {} };
  };
  return [
    connect("grpc (connect-node)", (o) => createGrpcTransport(o)),
    connect("grpc-web", (o) => createGrpcWebTransport({ ...o, httpVersion: "1.1" })),
    connect("connect json", (o) => createConnectTransport({ ...o, httpVersion: "1.1" })),
    connect("connect binary", (o) => createConnectTransport({ ...o, httpVersion: "1.1", useBinaryFormat: true })),
    grpcJsCaller(server.target, token),
    restCaller(baseUrl, token),
  ];
}

function grpcJsCaller(target: string, token: string): ExecutionCaller {
  const client = grpcJsServiceClient(ExecutionService, target);
  return {
    protocol: "grpc (grpc-js)",
    call(method, req) {
      const md = new grpc.Metadata();
      md.set("authorization", `Bearer ${token}`);
      return new Promise((resolve, reject) => client[method]!.call(client, req, md, (err, res) => (err ? reject(err) : resolve(res as never))));
    },
    close: () => client.close(),
  };
}

/** The REST routes of proto/actiond/v1/execution.proto, written out. */
const restRoutes: Record<MethodName, { method: string; path: string }> = {
  runTrigger: { method: "POST", path: "/v1/flows/{flow_type}/triggers/{trigger_type}/_run" },
  testAction: { method: "POST", path: "/v1/actions/_test" },
  listExecutions: { method: "POST", path: "/v1/executions/_search" },
  getExecution: { method: "GET", path: "/v1/executions/{id}" },
};

function restCaller(baseUrl: string, token: string): ExecutionCaller {
  return {
    protocol: "rest",
    async call(method, req) {
      const m = ExecutionService.method[method] as unknown as DescMethodUnary;
      const route = restRoutes[method];
      const json = toJson(m.input, create(m.input, req as never)) as Record<string, unknown>;
      const path = fillRestPath(route.path, json);
      const res = await fetch(`${baseUrl}${path}`, {
        method: route.method,
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: route.method === "GET" ? undefined : JSON.stringify(json),
      });
      const body = (await res.json()) as Record<string, unknown>;
      if (!res.ok) throw new Error(`REST ${res.status}: ${JSON.stringify(body).slice(0, 300)}`);
      return fromJson(m.output, body as never) as never;
    },
    close() {},
  };
}
