import { fromBinary, type MessageInitShape } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema, type FileDescriptorProto } from "@bufbuild/protobuf/wkt";
import { createClient, type Client } from "@connectrpc/connect";
import { connectNodeAdapter, createGrpcTransport } from "@connectrpc/connect-node";
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { file_grpc_health_v1_health } from "../../../gen/grpc/health/v1/health_pb.js";
import * as v1 from "../../../gen/grpc/reflection/v1/reflection_pb.js";
import * as v1alpha from "../../../gen/grpc/reflection/v1alpha/reflection_pb.js";
import { file_zitadel_management_v1_management } from "../../../gen/zitadel/management/v1/management_pb.js";
import { type H2TestServer, startH2TestServer } from "../../../test/support/h2-test-server.js";
import { createHealthService, createHealthStatus } from "../health.js";
import { registerReflection } from "./index.js";

// Async on purpose: a synchronous child blocks this worker's event loop, which also runs the server.
const run = promisify(execFile);
const buf = path.resolve("node_modules/.bin/buf");

const managementFile = "zitadel/management/v1/management.proto";
const rootServices = [
  "zitadel.management.v1.ManagementService",
  "grpc.health.v1.Health",
  "grpc.reflection.v1.ServerReflection",
  "grpc.reflection.v1alpha.ServerReflection",
];

let server: H2TestServer;
let clientV1: Client<typeof v1.ServerReflection>;
let clientV1alpha: Client<typeof v1alpha.ServerReflection>;

beforeAll(async () => {
  server = await startH2TestServer(
    connectNodeAdapter({
      routes(router) {
        router.service(...createHealthService(createHealthStatus()));
        registerReflection(router, [
          file_zitadel_management_v1_management,
          file_grpc_health_v1_health,
          v1.file_grpc_reflection_v1_reflection,
          v1alpha.file_grpc_reflection_v1alpha_reflection,
        ]);
      },
    }),
  );
  const transport = createGrpcTransport({ baseUrl: server.baseUrl });
  clientV1 = createClient(v1.ServerReflection, transport);
  clientV1alpha = createClient(v1alpha.ServerReflection, transport);
});

afterAll(() => server.close());

type Request = MessageInitShape<typeof v1.ServerReflectionRequestSchema>;

async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of stream) out.push(item);
  return out;
}

async function* from<T>(items: T[]): AsyncGenerator<T> {
  yield* items;
}

/** Sends all requests on one stream, so that "already sent" files are tracked across them. */
const reflect = (...requests: Request[]) => collect(clientV1.serverReflectionInfo(from(requests)));

const reflectOne = async (request: Request) => (await reflect(request))[0]!.messageResponse;

function decodeFiles(r: v1.ServerReflectionResponse["messageResponse"]): FileDescriptorProto[] {
  if (r.case !== "fileDescriptorResponse") throw new Error(`expected files, got ${r.case}: ${JSON.stringify(r.value)}`);
  return r.value.fileDescriptorProto.map((b) => fromBinary(FileDescriptorProtoSchema, b));
}

const symbol = (value: string): Request => ({ messageRequest: { case: "fileContainingSymbol", value } });

describe("reflection v1 over connect-node gRPC", () => {
  it("lists the services of the root files, echoing the request", async () => {
    const [res] = await reflect({ host: "h", messageRequest: { case: "listServices", value: "*" } });
    expect(res!.validHost).toBe("h");
    expect(res!.originalRequest?.messageRequest).toEqual({ case: "listServices", value: "*" });
    expect(res!.messageResponse).toMatchObject({ case: "listServicesResponse", value: { service: rootServices.map((name) => ({ name })) } });
  });

  it("answers a service symbol with its file first, then the whole import closure", async () => {
    const files = decodeFiles(await reflectOne(symbol("zitadel.management.v1.ManagementService")));
    const names = files.map((f) => f.name);
    expect(names[0]).toBe(managementFile);
    expect(new Set(names).size).toBe(names.length);
    for (const f of files) for (const dep of f.dependency) expect(names).toContain(dep);
    expect(names).toEqual(
      expect.arrayContaining([
        "buf/validate/validate.proto",
        "google/api/annotations.proto",
        "google/protobuf/descriptor.proto",
        "google/protobuf/duration.proto",
        "zitadel/v1/options.proto",
      ]),
    );
    // The embedded descriptors keep options, so clients see the HTTP rules.
    const createAction = files[0]!.service[0]!.method.find((m) => m.name === "CreateAction");
    expect(createAction?.options).toBeDefined();
  });

  it("sends dependencies only once per stream, but always the requested file", async () => {
    const [first, second] = await reflect(
      symbol("zitadel.management.v1.ManagementService"),
      symbol("zitadel.management.v1.ManagementService.CreateAction"),
    );
    expect(decodeFiles(first!.messageResponse).length).toBeGreaterThan(1);
    expect(decodeFiles(second!.messageResponse).map((f) => f.name)).toEqual([managementFile]);
  });

  it.each([
    ["zitadel.management.v1.CreateActionRequest", managementFile],
    ["zitadel.management.v1.CreateActionRequest.timeout", managementFile],
    ["zitadel.management.v1.ActionQuery.query", managementFile], // a oneof
    ["grpc.health.v1.HealthCheckResponse.ServingStatus", "grpc/health/v1/health.proto"],
    ["grpc.health.v1.HealthCheckResponse.NOT_SERVING", "grpc/health/v1/health.proto"], // enum values are the enum's siblings
    ["grpc.health.v1.HealthListResponse.StatusesEntry", "grpc/health/v1/health.proto"], // synthetic map entry
    ["zitadel.v1.auth_option", "zitadel/v1/options.proto"],
    [".google.protobuf.Duration", "google/protobuf/duration.proto"],
    ["google.protobuf.FieldDescriptorProto.TYPE_STRING", "google/protobuf/descriptor.proto"], // nested enum value
  ])("finds the file containing %s", async (name, file) => {
    expect(decodeFiles(await reflectOne(symbol(name)))[0]?.name).toBe(file);
  });

  it("answers an unknown symbol or file with error_code 5 and keeps the stream open", async () => {
    const [a, b, c] = await reflect(
      symbol("zitadel.management.v1.NoSuchThing"),
      { messageRequest: { case: "fileByFilename", value: "no/such.proto" } },
      { messageRequest: { case: "fileByFilename", value: "google/protobuf/duration.proto" } },
    );
    for (const res of [a, b]) {
      expect(res!.messageResponse.case).toBe("errorResponse");
      expect(res!.messageResponse.value).toMatchObject({ errorCode: 5, errorMessage: expect.stringMatching(/not found/) });
    }
    expect(decodeFiles(c!.messageResponse).map((f) => f.name)).toEqual(["google/protobuf/duration.proto"]);
  });

  it("finds extensions by extendee and number", async () => {
    const extension = (containingType: string, extensionNumber: number): Request => ({
      messageRequest: { case: "fileContainingExtension", value: { containingType, extensionNumber } },
    });
    const [http, auth, none] = await reflect(
      extension("google.protobuf.MethodOptions", 72295728),
      extension("google.protobuf.MethodOptions", 50000),
      extension("google.protobuf.MethodOptions", 1),
    );
    expect(decodeFiles(http!.messageResponse)[0]?.name).toBe("google/api/annotations.proto");
    expect(decodeFiles(auth!.messageResponse)[0]?.name).toBe("zitadel/v1/options.proto");
    expect(none!.messageResponse.value).toMatchObject({ errorCode: 5 });
  });

  it("lists all extension numbers of a type", async () => {
    const [methodOptions, unextended, unknown] = await reflect(
      { messageRequest: { case: "allExtensionNumbersOfType", value: "google.protobuf.MethodOptions" } },
      { messageRequest: { case: "allExtensionNumbersOfType", value: "google.protobuf.Duration" } },
      { messageRequest: { case: "allExtensionNumbersOfType", value: "no.Such" } },
    );
    expect(methodOptions!.messageResponse).toMatchObject({
      case: "allExtensionNumbersResponse",
      value: { baseTypeName: "google.protobuf.MethodOptions", extensionNumber: expect.arrayContaining([50000, 72295728]) },
    });
    expect(unextended!.messageResponse.value).toMatchObject({ extensionNumber: [] });
    expect(unknown!.messageResponse.value).toMatchObject({ errorCode: 5 });
  });
});

describe("reflection v1alpha", () => {
  it("answers the same questions as v1", async () => {
    const requests: MessageInitShape<typeof v1alpha.ServerReflectionRequestSchema>[] = [
      { messageRequest: { case: "listServices", value: "" } },
      { messageRequest: { case: "fileContainingSymbol", value: "zitadel.management.v1.ManagementService" } },
      { messageRequest: { case: "fileContainingSymbol", value: "no.Such" } },
    ];
    const [list, found, missing] = await collect(clientV1alpha.serverReflectionInfo(from(requests)));
    expect(list!.$typeName).toBe("grpc.reflection.v1alpha.ServerReflectionResponse");
    expect(list!.messageResponse.value).toMatchObject({ service: rootServices.map((name) => expect.objectContaining({ name })) });
    const files = found!.messageResponse;
    expect(files.case === "fileDescriptorResponse" && fromBinary(FileDescriptorProtoSchema, files.value.fileDescriptorProto[0]!).name).toBe(
      managementFile,
    );
    expect(missing!.messageResponse.value).toMatchObject({ errorCode: 5 });
  });
});

describe("buf curl", () => {
  const curl = (...args: string[]) => run(buf, ["curl", "--protocol", "grpc", "--http2-prior-knowledge", ...args], { timeout: 20_000 });

  it("lists the management methods through v1 reflection", async () => {
    const { stdout } = await curl("--list-methods", server.baseUrl);
    expect(stdout.split("\n")).toContain("zitadel.management.v1.ManagementService/CreateAction");
  });

  it("calls health Check with the schema from v1alpha reflection", async () => {
    const { stdout } = await curl("--reflect-protocol", "grpc-v1alpha", "-d", "{}", `${server.baseUrl}/grpc.health.v1.Health/Check`);
    expect(JSON.parse(stdout)).toEqual({ status: "SERVING" });
  });
});
