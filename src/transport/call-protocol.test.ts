import { describe, expect, it } from "vitest";
import { ExecutionService } from "../../gen/actiond/v1/execution_pb.js";
import { ManagementService } from "../../gen/zitadel/management/v1/management_pb.js";
import { callProtocolOf, rpcCallProtocol, rpcName } from "./call-protocol.js";

const getAction = ManagementService.method.getAction;

describe("rpcCallProtocol()", () => {
  it("tells the RPC protocols apart by content type; gRPC-Web's text mode is gRPC-Web, no content type (Connect GET) Connect", () => {
    const seen = Object.fromEntries(
      [
        "application/grpc",
        "application/grpc+proto",
        "application/GRPC+json",
        "application/grpc-web",
        "application/grpc-web+proto",
        "application/grpc-web-text",
        "application/json",
        "application/proto",
        "application/json; charset=utf-8",
      ].map((type) => [type, rpcCallProtocol(type)]),
    );
    expect(seen).toEqual({
      "application/grpc": "grpc",
      "application/grpc+proto": "grpc",
      "application/GRPC+json": "grpc",
      "application/grpc-web": "grpc-web",
      "application/grpc-web+proto": "grpc-web",
      "application/grpc-web-text": "grpc-web",
      "application/json": "connect",
      "application/proto": "connect",
      "application/json; charset=utf-8": "connect",
    });
    expect(rpcCallProtocol(null)).toBe("connect");
    expect(rpcCallProtocol(undefined)).toBe("connect");
  });
});

describe("callProtocolOf()", () => {
  const call = (url: string, contentType?: string) => callProtocolOf({ url, method: getAction, header: new Headers(contentType ? { "content-type": contentType } : {}) });

  it("reads a call on its RPC path by its content type", () => {
    const path = "http://127.0.0.1:8080/zitadel.management.v1.ManagementService/GetAction";
    expect(call(path, "application/grpc")).toBe("grpc");
    expect(call(path, "application/grpc-web+proto")).toBe("grpc-web");
    expect(call(path, "application/json")).toBe("connect");
    expect(call(`${path}?connect=v1&encoding=json&message=%7B%7D`)).toBe("connect");
  });

  it("reads a call anywhere else as REST, whatever it carries", () => {
    expect(call("http://127.0.0.1:8080/management/v1/actions/123")).toBe("rest");
    expect(call("http://127.0.0.1:8080/management/v1/actions/123", "application/json")).toBe("rest");
    expect(call("http://127.0.0.1:8080/management/v1/actions/123?x=/zitadel.management.v1.ManagementService/GetAction")).toBe("rest");
    expect(call("http://127.0.0.1:8080/x.zitadel.management.v1.ManagementService/GetAction", "application/grpc")).toBe("rest");
  });
});

describe("rpcName()", () => {
  it("is the service's full name and the method's, one string per method", () => {
    expect(rpcName(getAction)).toBe("zitadel.management.v1.ManagementService/GetAction");
    expect(rpcName(getAction)).toBe(rpcName(ManagementService.method.getAction));
    expect(rpcName(ExecutionService.method.runTrigger)).toBe("actiond.v1.ExecutionService/RunTrigger");
  });
});
