/**
 * GetAction's answer on each protocol of bench/api.ts, fetched from actiond with
 * a real client and checked by content: the bytes the plain baselines answer
 * (bench/baseline-servers.ts), and the probe each case makes before its runs.
 */
import fs from "node:fs";
import path from "node:path";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import * as grpc from "@grpc/grpc-js";
import { GetActionRequestSchema, GetActionResponseSchema } from "../gen/zitadel/management/v1/management_pb.js";
import { type CannedAnswer, getActionPath } from "./baseline-servers.js";
import { grpcFrame } from "./clients.js";

export const grpcHeaders = { "content-type": "application/grpc", te: "trailers" };
export const connectJsonType = "application/json";
export const grpcWebType = "application/grpc-web+proto";

/** The request bodies of GetAction on each protocol, as files for h2load's -d. */
export function writeRequestBodies(dir: string, id: string) {
  const frame = grpcFrame(toBinary(GetActionRequestSchema, create(GetActionRequestSchema, { id })));
  const file = (name: string, body: string | Buffer) => {
    fs.writeFileSync(path.join(dir, name), body);
    return path.join(dir, name);
  };
  return { grpc: file("get-action.grpc", frame), connectJson: file("get-action.json", JSON.stringify({ id })), grpcWeb: file("get-action.grpc-web", frame) };
}

/** GetAction over grpc-js as raw bytes (identity deserializer): what the plain grpc-js server will answer. */
export function grpcGetActionBytes(target: string, token: string | undefined, id: string): Promise<Buffer> {
  const client = new grpc.Client(target, grpc.credentials.createInsecure());
  const md = new grpc.Metadata();
  if (token) md.set("authorization", `Bearer ${token}`);
  const request = Buffer.from(toBinary(GetActionRequestSchema, create(GetActionRequestSchema, { id })));
  return new Promise<Buffer>((resolve, reject) =>
    client.makeUnaryRequest(getActionPath, (b: Buffer) => b, (b: Buffer) => b, request, md, {}, (err, res) => (err ? reject(err) : resolve(res!))),
  ).finally(() => client.close());
}

/** One HTTP call; its status, content-type and body. */
async function send(url: string, init: RequestInit): Promise<{ status: number; contentType: string; body: Buffer }> {
  const res = await fetch(url, init);
  return { status: res.status, contentType: res.headers.get("content-type") ?? "", body: Buffer.from(await res.arrayBuffer()) };
}

/** The message of a gRPC-Web answer, after checking its trailer frame says grpc-status 0. */
function grpcWebMessage(body: Buffer): Buffer {
  const length = body.readUInt32BE(1);
  const trailer = body.subarray(5 + length + 5).toString("latin1");
  if (body[0] !== 0 || !/grpc-status: ?0\r?\n/.test(trailer)) throw new Error(`a gRPC-Web answer that is not ok: ${body.toString("latin1").slice(0, 200)}`);
  return body.subarray(5, 5 + length);
}

/** The action's name in an answer of `kind`; throws on an answer that is not a GetAction answer. */
function nameIn(kind: "rest" | "connect" | "grpc-web" | "grpc", body: Buffer): string | undefined {
  if (kind === "grpc") return fromBinary(GetActionResponseSchema, body).action?.name;
  if (kind === "grpc-web") return fromBinary(GetActionResponseSchema, grpcWebMessage(body)).action?.name;
  return (JSON.parse(body.toString("utf8")) as { action?: { name?: string } }).action?.name;
}

export interface HttpRequestOf {
  kind: "rest" | "connect" | "grpc-web";
  method: string;
  path: string;
  requestType: string;
  body?: Buffer;
}

/** The three HTTP/1.1 requests of GetAction. */
export function httpRequests(id: string, bodies: ReturnType<typeof writeRequestBodies>): HttpRequestOf[] {
  return [
    { kind: "rest", method: "GET", path: `/management/v1/actions/${id}`, requestType: "" },
    { kind: "connect", method: "POST", path: getActionPath, requestType: connectJsonType, body: fs.readFileSync(bodies.connectJson) },
    { kind: "grpc-web", method: "POST", path: getActionPath, requestType: grpcWebType, body: fs.readFileSync(bodies.grpcWeb) },
  ];
}

/** Calls `r` on `baseUrl` and checks the answer names action `name`; resolves with it as a canned answer. */
export async function checkedAnswer(baseUrl: string, token: string | undefined, r: HttpRequestOf, name: string): Promise<CannedAnswer> {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  if (r.requestType) headers["content-type"] = r.requestType;
  const got = await send(baseUrl + r.path, { method: r.method, headers, body: r.body });
  let found: string | undefined;
  try {
    found = got.status === 200 ? nameIn(r.kind, got.body) : undefined;
  } catch {
    found = undefined;
  }
  if (found !== name) throw new Error(`${r.kind} ${r.method} ${r.path}: HTTP ${got.status}, ${got.body.toString("latin1").slice(0, 300)}`);
  return { method: r.method, path: r.path, requestType: r.requestType, status: got.status, contentType: got.contentType, bodyBase64: got.body.toString("base64") };
}

/** GetAction over grpc-js, decoded: the answer must name action `name`. */
export async function checkedGrpcAnswer(target: string, token: string | undefined, id: string, name: string): Promise<Buffer> {
  const bytes = await grpcGetActionBytes(target, token, id);
  const found = nameIn("grpc", bytes);
  if (found !== name) throw new Error(`gRPC GetAction on ${target} answered an action named ${JSON.stringify(found)}`);
  return bytes;
}
