/**
 * The cases of bench/api.ts: GetAction per protocol against the plain servers
 * answering the same bytes, CreateAction against GetAction, and Health/Check
 * for information. Each is a RoundCase (bench/rounds.ts) run by runCase
 * (bench/case-run.ts): h2load for HTTP/2 and `h2load --h1` for HTTP/1.1.
 */
import { create, toBinary } from "@bufbuild/protobuf";
import { HealthCheckRequestSchema } from "../gen/grpc/health/v1/health_pb.js";
import { ManagementService } from "../gen/zitadel/management/v1/management_pb.js";
import { checkedAnswer, checkedGrpcAnswer, grpcHeaders, httpRequests, type writeRequestBodies } from "./api-answers.js";
import { getActionPath } from "./baseline-servers.js";
import type { CallLog } from "./call-log.js";
import { type Case, h2load, roundCase } from "./case-run.js";
import type { ServerChild } from "./children.js";
import { grpcFrame, grpcJsHealth, scriptFor } from "./clients.js";
import { http1Request, numbered, runLeanHttp1 } from "./lean-http1.js";
import type { RoundCase } from "./rounds.js";

/** A server the cases call: actiond (with its token, call log and action) or a plain baseline. */
export interface Served {
  child: ServerChild;
  baseUrl: string;
  /** The action GetAction reads, and the request bodies naming it. */
  id: string;
  bodies: ReturnType<typeof writeRequestBodies>;
  token?: string;
  callLog?: CallLog;
}

export const actionName = "bench_get";
const createRoute = "/management/v1/actions";
const rpc = (method: string) => `${ManagementService.typeName}/${method}`;
/** 64 in flight over HTTP/2: 4 connections × 16 streams; over HTTP/1.1: 64 connections. */
const many = { clients: 4, streams: 16 };
const one = { clients: 1, streams: 1 };
export const plainGrpc = (n: number) => `plain grpc-js, GetAction, ${n} in flight`;
export const plainHttp = "plain node:http, REST GET JSON, HTTP/1.1 ×64";
const restGet = (label: string) => `${label}: GetAction, REST GET, HTTP/1.1 ×64`;

const authOf = (s: Served): Record<string, string> => (s.token ? { authorization: `Bearer ${s.token}` } : {});
const target = (s: Served) => s.baseUrl.replace("http://", "");

function grpcGet(name: string, s: Served, level: typeof many): Case {
  return {
    name,
    inFlight: level.clients * level.streams,
    load: h2load({ url: s.baseUrl + getActionPath, ...level, bodyFile: s.bodies.grpc, headers: { ...grpcHeaders, ...authOf(s) } }),
    serverPid: s.child.pid,
    calls: s.callLog && { log: s.callLog, rpc: rpc("GetAction") },
    probe: async () => void (await checkedGrpcAnswer(target(s), s.token, s.id, actionName)),
  };
}

function httpGet(name: string, s: Served, kind: "rest" | "connect" | "grpc-web"): Case {
  const request = httpRequests(s.id, s.bodies).find((r) => r.kind === kind)!;
  const headers = { ...authOf(s), ...(request.requestType ? { "content-type": request.requestType } : {}) };
  const bodyFile = kind === "connect" ? s.bodies.connectJson : kind === "grpc-web" ? s.bodies.grpcWeb : undefined;
  return {
    name,
    inFlight: 64,
    load: h2load({ url: s.baseUrl + request.path, clients: 64, ...(bodyFile ? { bodyFile } : {}), headers }),
    serverPid: s.child.pid,
    calls: s.callLog && { log: s.callLog, rpc: rpc("GetAction") },
    probe: async () => void (await checkedAnswer(s.baseUrl, s.token, request, actionName)),
  };
}

/** CreateAction over REST with the lean client (h2load cannot: names must differ); names numbered across the whole run. */
function leanCreate(name: string, s: Served): Case {
  const placeholder = "0000000000";
  const action = `bench_create_${placeholder}`;
  const body = JSON.stringify({ name: action, script: scriptFor(action) });
  const port = s.child.info.port;
  const requestOf = numbered(http1Request("POST", port, createRoute, { ...authOf(s), "Content-Type": "application/json" }, body), placeholder);
  let next = 0;
  return {
    name,
    inFlight: 64,
    load: (requests) => runLeanHttp1(port, 64, requests, () => requestOf(next++)),
    serverPid: s.child.pid,
    calls: s.callLog && { log: s.callLog, rpc: rpc("CreateAction") },
    async probe() {
      const probeName = `bench_probe_${next++}`;
      const res = await fetch(s.baseUrl + createRoute, {
        method: "POST",
        headers: { ...authOf(s), "content-type": "application/json" },
        body: JSON.stringify({ name: probeName, script: scriptFor(probeName) }),
      });
      const created = (await res.json()) as { id?: string };
      if (res.status !== 200 || !created.id) throw new Error(`CreateAction over REST answered ${res.status} ${JSON.stringify(created)}`);
    },
  };
}

function health(name: string, s: Served, bodyFile: string): Case {
  return {
    name,
    inFlight: 64,
    load: h2load({ url: `${s.baseUrl}/grpc.health.v1.Health/Check`, ...many, bodyFile, headers: grpcHeaders }),
    serverPid: s.child.pid,
    async probe() {
      const h = grpcJsHealth(target(s));
      try {
        await h.call();
      } finally {
        h.close();
      }
    },
  };
}

export const healthBody = () => grpcFrame(toBinary(HealthCheckRequestSchema, create(HealthCheckRequestSchema)));

/** The plain baselines' cases: grpc-js at 64 and 1 in flight, node:http on each HTTP/1.1 answer. */
export function baselineCases(grpcPlain: Served, httpPlain: Served, seconds: number): RoundCase[] {
  return [
    roundCase(grpcGet(plainGrpc(64), grpcPlain, many), seconds),
    roundCase(grpcGet(plainGrpc(1), grpcPlain, one), seconds),
    roundCase(httpGet(plainHttp, httpPlain, "rest"), seconds),
    roundCase(httpGet("plain node:http, Connect JSON answer, HTTP/1.1 ×64", httpPlain, "connect"), seconds),
    roundCase(httpGet("plain node:http, gRPC-Web answer, HTTP/1.1 ×64", httpPlain, "grpc-web"), seconds),
  ];
}

/** actiond's cases on one store; `label` names the store. */
export function actiondCases(label: string, s: Served, healthFile: string, seconds: number): RoundCase[] {
  const getMany = `${label}: GetAction, gRPC, 64 in flight`;
  return [
    roundCase(grpcGet(getMany, s, many), seconds, { ref: plainGrpc(64), kind: "rate", target: { op: "≥", bound: 0.8 } }),
    roundCase(grpcGet(`${label}: GetAction, gRPC, 1 in flight`, s, one), seconds, { ref: plainGrpc(1), kind: "mean", target: { op: "≤", bound: 2 } }),
    roundCase(health(`${label}: Health/Check, gRPC, 64 in flight`, s, healthFile), seconds, { ref: plainGrpc(64), kind: "rate" }),
    roundCase(httpGet(restGet(label), s, "rest"), seconds, { ref: plainHttp, kind: "rate", target: { op: "≥", bound: 0.8 } }),
    roundCase(httpGet(`${label}: GetAction, Connect JSON, HTTP/1.1 ×64`, s, "connect"), seconds, { ref: plainHttp, kind: "rate", target: { op: "≥", bound: 0.6 } }),
    roundCase(httpGet(`${label}: GetAction, gRPC-Web, HTTP/1.1 ×64`, s, "grpc-web"), seconds, { ref: plainHttp, kind: "rate", target: { op: "≥", bound: 0.6 } }),
    // Against GetAction on the same protocol and the same 64 connections.
    roundCase(leanCreate(`${label}: CreateAction, REST POST, HTTP/1.1 ×64 (lean client)`, s), seconds, { ref: restGet(label), kind: "rate", target: { op: "≥", bound: 0.5 } }),
  ];
}
