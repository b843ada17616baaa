/** One lean client per protocol, each owning its connections so close() releases them. */
import http from "node:http";
import { type DescMessage, type MessageShape, create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { createClient, type Transport } from "@connectrpc/connect";
import {
  Http2SessionManager,
  createConnectTransport,
  createGrpcTransport,
  createGrpcWebTransport,
} from "@connectrpc/connect-node";
import * as grpc from "@grpc/grpc-js";
import { HealthCheckRequestSchema, HealthCheckResponseSchema } from "../gen/grpc/health/v1/health_pb.js";
import {
  CreateActionRequestSchema,
  CreateActionResponseSchema,
  GetActionRequestSchema,
  GetActionResponseSchema,
  ManagementService,
} from "../gen/zitadel/management/v1/management_pb.js";

export interface ManagementClient {
  protocol: string;
  getAction(id: string): Promise<unknown>;
  createAction(name: string): Promise<unknown>;
  close(): void;
}

export interface Unary {
  call(): Promise<unknown>;
  close(): void;
}

export const scriptFor = (name: string) => `function ${name}(ctx, api) {}`;

export function grpcJsUnary<I extends DescMessage, O extends DescMessage>(client: grpc.Client, path: string, input: I, output: O) {
  const serialize = (m: MessageShape<I>) => Buffer.from(toBinary(input, m));
  const deserialize = (b: Buffer) => fromBinary(output, b);
  return (req: MessageShape<I>, md: grpc.Metadata) =>
    new Promise<MessageShape<O>>((resolve, reject) => {
      client.makeUnaryRequest(path, serialize, deserialize, req, md, {}, (err, res) => (err ? reject(err) : resolve(res!)));
    });
}

/** grpc.health.v1.Health/Check over @grpc/grpc-js (h2c, one channel). */
export function grpcJsHealth(target: string): Unary {
  const client = new grpc.Client(target, grpc.credentials.createInsecure());
  const check = grpcJsUnary(client, "/grpc.health.v1.Health/Check", HealthCheckRequestSchema, HealthCheckResponseSchema);
  const req = create(HealthCheckRequestSchema);
  const md = new grpc.Metadata();
  return { call: () => check(req, md.clone()), close: () => client.close() };
}

function grpcJsManagement(target: string, token: string): ManagementClient {
  const client = new grpc.Client(target, grpc.credentials.createInsecure());
  const svc = `/${ManagementService.typeName}`;
  const get = grpcJsUnary(client, `${svc}/GetAction`, GetActionRequestSchema, GetActionResponseSchema);
  const add = grpcJsUnary(client, `${svc}/CreateAction`, CreateActionRequestSchema, CreateActionResponseSchema);
  const md = new grpc.Metadata();
  md.set("authorization", `Bearer ${token}`);
  return {
    protocol: "gRPC, grpc-js client, h2c",
    getAction: (id) => get(create(GetActionRequestSchema, { id }), md.clone()),
    createAction: (name) => add(create(CreateActionRequestSchema, { name, script: scriptFor(name) }), md.clone()),
    close: () => client.close(),
  };
}

function connectManagement(protocol: string, transport: Transport, token: string, close: () => void): ManagementClient {
  const client = createClient(ManagementService, transport);
  const headers = { authorization: `Bearer ${token}` };
  return {
    protocol,
    getAction: (id) => client.getAction({ id }, { headers }),
    createAction: (name) => client.createAction({ name, script: scriptFor(name) }, { headers }),
    close,
  };
}

function keepAliveAgent(concurrency: number) {
  return new http.Agent({ keepAlive: true, maxSockets: concurrency });
}

/** REST JSON over http.request with a keep-alive agent; the body is read and JSON-parsed. */
function restManagement(baseUrl: string, token: string, concurrency: number): ManagementClient {
  const { hostname, port } = new URL(baseUrl);
  const agent = keepAliveAgent(concurrency);
  const send = (method: string, path: string, body?: string) =>
    new Promise<unknown>((resolve, reject) => {
      const headers: http.OutgoingHttpHeaders = { authorization: `Bearer ${token}` };
      if (body !== undefined) Object.assign(headers, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
      const req = http.request({ hostname, port, method, path: `/management/v1${path}`, agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", reject);
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          if (res.statusCode === 200) resolve(JSON.parse(text));
          else reject(new Error(`HTTP ${res.statusCode}: ${text.slice(0, 200)}`));
        });
      });
      req.on("error", reject);
      req.end(body);
    });
  return {
    protocol: "REST JSON, http.request, HTTP/1.1",
    getAction: (id) => send("GET", `/actions/${encodeURIComponent(id)}`),
    createAction: (name) => send("POST", "/actions", JSON.stringify({ name, script: scriptFor(name) })),
    close: () => agent.destroy(),
  };
}

/** The six management clients, in table order. */
export function managementClients(baseUrl: string, target: string, token: string, concurrency: number): ManagementClient[] {
  const h2 = () => new Http2SessionManager(baseUrl);
  const grpcSessions = h2();
  const connectSessions = h2();
  const grpcWebAgent = keepAliveAgent(concurrency);
  const connectJsonAgent = keepAliveAgent(concurrency);
  return [
    grpcJsManagement(target, token),
    connectManagement(
      "gRPC, connect-node client, h2c",
      createGrpcTransport({ baseUrl, sessionManager: grpcSessions }),
      token,
      () => grpcSessions.abort(),
    ),
    connectManagement(
      "gRPC-Web binary, connect-node, HTTP/1.1",
      createGrpcWebTransport({ baseUrl, httpVersion: "1.1", nodeOptions: { agent: grpcWebAgent } }),
      token,
      () => grpcWebAgent.destroy(),
    ),
    connectManagement(
      "Connect JSON, connect-node, HTTP/1.1",
      createConnectTransport({ baseUrl, httpVersion: "1.1", nodeOptions: { agent: connectJsonAgent } }),
      token,
      () => connectJsonAgent.destroy(),
    ),
    connectManagement(
      "Connect binary, connect-node, h2c",
      createConnectTransport({ baseUrl, httpVersion: "2", useBinaryFormat: true, sessionManager: connectSessions }),
      token,
      () => connectSessions.abort(),
    ),
    restManagement(baseUrl, token, concurrency),
  ];
}
