import { type DescMethodUnary, type DescService, create, fromBinary, toBinary, toJson, fromJson } from "@bufbuild/protobuf";
import { ConnectError, createClient, type Interceptor, type Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import * as grpc from "@grpc/grpc-js";
import { ErrorDetailSchema } from "../../gen/zitadel/v1/message_pb.js";
import { ManagementService } from "../../gen/zitadel/management/v1/management_pb.js";
import { decodeStatusDetails, type WireError } from "./wire-error.js";

type Methods = typeof ManagementService.method;
export type MethodName = keyof Methods;
type In<M extends MethodName> = Methods[M] extends DescMethodUnary<infer I, infer _O> ? I : never;
type Out<M extends MethodName> = Methods[M] extends DescMethodUnary<infer _I, infer O> ? O : never;

/** Headers a test sends: the token and, optionally, the org. */
export interface CallHeaders {
  authorization?: string;
  orgId?: string;
}

/**
 * One way to call ManagementService, the same for every protocol, so one
 * behavioural suite runs over all of them. Results are decoded messages;
 * failures are WireErrors.
 */
export interface ManagementCaller {
  protocol: string;
  call<M extends MethodName>(
    method: M,
    req: import("@bufbuild/protobuf").MessageInitShape<In<M>>,
    headers?: CallHeaders,
  ): Promise<import("@bufbuild/protobuf").MessageShape<Out<M>>>;
  close(): void;
}

export function headerInterceptor(headers: () => CallHeaders | undefined): Interceptor {
  return (next) => (req) => {
    const h = headers();
    if (h?.authorization) req.header.set("authorization", h.authorization);
    if (h?.orgId) req.header.set("x-zitadel-orgid", h.orgId);
    return next(req);
  };
}

export function wireErrorFromConnect(err: unknown): WireError {
  const e = ConnectError.from(err);
  const ids = e.findDetails(ErrorDetailSchema).map((d) => d.id);
  return { code: e.code, message: e.rawMessage, detailIds: ids, detailTypes: e.details.map((d) => ("desc" in d ? d.desc.typeName : d.type)) };
}

function connectCaller(protocol: string, transportFor: (interceptors: Interceptor[]) => Transport): ManagementCaller {
  let current: CallHeaders | undefined;
  const client = createClient(ManagementService, transportFor([headerInterceptor(() => current)]));
  return {
    protocol,
    async call(method, req, headers) {
      current = headers;
      try {
        return await (client[method] as (r: unknown) => Promise<never>)(req);
      } catch (err) {
        throw wireErrorFromConnect(err);
      }
    },
    close() {},
  };
}

export function connectCallers(baseUrl: string): ManagementCaller[] {
  return [
    connectCaller("grpc (connect-node)", (interceptors) => createGrpcTransport({ baseUrl, interceptors })),
    connectCaller("grpc-web", (interceptors) => createGrpcWebTransport({ baseUrl, httpVersion: "1.1", interceptors })),
    connectCaller("connect json", (interceptors) => createConnectTransport({ baseUrl, httpVersion: "1.1", interceptors })),
    connectCaller("connect binary h2", (interceptors) =>
      createConnectTransport({ baseUrl, httpVersion: "2", useBinaryFormat: true, interceptors }),
    ),
  ];
}

/** A @grpc/grpc-js client of any of our services, with protobuf-es (de)serializers, its unary methods by local name; cleartext unless given credentials. */
export function grpcJsServiceClient(service: DescService, target: string, credentials = grpc.credentials.createInsecure()): GrpcJsUnaryClient {
  const definition: Record<string, grpc.MethodDefinition<unknown, unknown>> = {};
  for (const m of service.methods) {
    definition[m.localName] = {
      path: `/${service.typeName}/${m.name}`,
      requestStream: false,
      responseStream: false,
      requestSerialize: (v: unknown) => Buffer.from(toBinary(m.input, create(m.input, v as never))),
      requestDeserialize: (b: Buffer) => fromBinary(m.input, b),
      responseSerialize: (v: unknown) => Buffer.from(toBinary(m.output, v as never)),
      responseDeserialize: (b: Buffer) => fromBinary(m.output, b),
    };
  }
  const Client = grpc.makeGenericClientConstructor(definition, service.name);
  return new Client(target, credentials) as unknown as GrpcJsUnaryClient;
}

export type GrpcJsUnaryClient = grpc.Client &
  Record<string, (req: unknown, md: grpc.Metadata, cb: (err: grpc.ServiceError | null, res: unknown) => void) => void>;

/** The reference gRPC client: @grpc/grpc-js, with protobuf-es (de)serializers. */
export function grpcJsCaller(target: string, credentials?: grpc.ChannelCredentials): ManagementCaller {
  const client = grpcJsServiceClient(ManagementService, target, credentials);
  return {
    protocol: "grpc (grpc-js)",
    call(method, req, headers) {
      const md = new grpc.Metadata();
      if (headers?.authorization) md.set("authorization", headers.authorization);
      if (headers?.orgId) md.set("x-zitadel-orgid", headers.orgId);
      return new Promise((resolve, reject) => {
        client[method]!.call(client, req, md, (err, res) => {
          if (!err) return resolve(res as never);
          const bin = err.metadata?.get("grpc-status-details-bin")[0];
          const details = bin ? decodeStatusDetails(Buffer.from(bin as Buffer)) : [];
          reject({
            code: err.code,
            message: err.details,
            detailIds: details.filter((d) => d.type === "zitadel.v1.ErrorDetail").map((d) => fromBinary(ErrorDetailSchema, d.value).id),
            detailTypes: details.map((d) => d.type),
          } satisfies WireError);
        });
      });
    },
    close() {
      (client as unknown as grpc.Client).close();
    },
  };
}

/**
 * ZITADEL's REST routes, written out independently of the gateway's own
 * reading of the annotations, so the tests check the routes themselves.
 */
const restRoutes: Record<MethodName, { method: string; path: string; body: boolean }> = {
  listActions: { method: "POST", path: "/actions/_search", body: true },
  getAction: { method: "GET", path: "/actions/{id}", body: false },
  createAction: { method: "POST", path: "/actions", body: true },
  updateAction: { method: "PUT", path: "/actions/{id}", body: true },
  deactivateAction: { method: "POST", path: "/actions/{id}/_deactivate", body: true },
  reactivateAction: { method: "POST", path: "/actions/{id}/_reactivate", body: true },
  deleteAction: { method: "DELETE", path: "/actions/{id}", body: true },
  listFlowTypes: { method: "POST", path: "/flows/types/_search", body: false },
  listFlowTriggerTypes: { method: "POST", path: "/flows/{type}/triggers/_search", body: false },
  getFlow: { method: "GET", path: "/flows/{type}", body: false },
  clearFlow: { method: "POST", path: "/flows/{type}/_clear", body: false },
  setTriggerActions: { method: "POST", path: "/flows/{flow_type}/trigger/{trigger_type}", body: true },
};

/** REST JSON over plain fetch, as curl would call it. */
export function restCaller(baseUrl: string): ManagementCaller {
  return {
    protocol: "rest",
    async call(method, req, headers) {
      const m = ManagementService.method[method] as unknown as DescMethodUnary;
      const route = restRoutes[method];
      const json = toJson(m.input, create(m.input, req as never)) as Record<string, unknown>;
      const path = fillRestPath(route.path, json);
      const res = await fetch(`${baseUrl}/management/v1${path}`, {
        method: route.method,
        headers: {
          "content-type": "application/json",
          ...(headers?.authorization ? { authorization: headers.authorization } : {}),
          ...(headers?.orgId ? { "x-zitadel-orgid": headers.orgId } : {}),
        },
        body: route.body ? JSON.stringify(json) : undefined,
      });
      const body = (await res.json()) as Record<string, unknown>;
      if (res.ok) return fromJson(m.output, body as never) as never;
      const details = (body.details ?? []) as { "@type": string; id?: string }[];
      throw {
        code: body.code as number,
        message: body.message as string,
        detailIds: details.filter((d) => d["@type"].endsWith("zitadel.v1.ErrorDetail")).map((d) => d.id ?? ""),
        detailTypes: details.map((d) => d["@type"].replace(/^type\.googleapis\.com\//, "")),
        httpStatus: res.status,
      } as WireError;
    },
    close() {},
  };
}

export function allCallers(baseUrl: string, target: string): ManagementCaller[] {
  return [grpcJsCaller(target), ...connectCallers(baseUrl), restCaller(baseUrl)];
}

/**
 * A REST route's path with its `{field}` templates filled from the request's
 * JSON form; the fields used in the path are removed from `json`, which then
 * is the body or the query, as ZITADEL's gateway binds them.
 */
export function fillRestPath(template: string, json: Record<string, unknown>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const key = name.replace(/_(\w)/g, (_m, c: string) => c.toUpperCase());
    const value = String(json[key] ?? "");
    delete json[key];
    return encodeURIComponent(value);
  });
}
