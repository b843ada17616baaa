import { describe, expect, it } from "vitest";
import { isBinaryGrpc } from "./grpc-unary.js";

const req = (over: { httpVersionMajor?: number; method?: string; type?: string }) => ({
  httpVersionMajor: over.httpVersionMajor ?? 2,
  method: over.method ?? "POST",
  url: "/zitadel.management.v1.ManagementService/GetAction",
  headers: { "content-type": over.type ?? "application/grpc" },
});

describe("the lean unary gRPC path", () => {
  it("takes binary gRPC over HTTP/2", () => {
    expect(isBinaryGrpc(req({}))).toBe(true);
    expect(isBinaryGrpc(req({ type: "application/grpc+proto" }))).toBe(true);
  });

  it("leaves everything else to connect-node", () => {
    expect(isBinaryGrpc(req({ httpVersionMajor: 1 }))).toBe(false);
    expect(isBinaryGrpc(req({ method: "GET" }))).toBe(false);
    for (const type of ["application/grpc+json", "application/grpc-web+proto", "application/proto", "application/json", "application/grpc; codec=x"]) {
      expect(isBinaryGrpc(req({ type }))).toBe(false);
    }
  });
});
