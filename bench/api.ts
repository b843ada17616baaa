/**
 * `npm run bench` (first part): GetAction per protocol against plain servers
 * answering the very same bytes, CreateAction against GetAction, on SQLite and
 * (when installed) PostgreSQL, load from h2load (HTTP/2) and `h2load --h1`
 * (HTTP/1.1). The cases are interleaved in rounds; the table gives medians,
 * each target as the median of per-round ratios, and what actiond's call log
 * says it answered. Prints only; a call not answered ok, or a probe that fails,
 * is listed under FAILED and makes the exit code 1. Timings assert nothing.
 *
 * Env: BENCH_SECONDS (measured seconds per case after about 1 s of warm-up, default 5),
 * BENCH_ROUNDS (default 3), BENCH_STORES (default "sqlite,postgres").
 */
import fs from "node:fs";
import path from "node:path";
import { create } from "@bufbuild/protobuf";
import * as grpc from "@grpc/grpc-js";
import { CreateActionRequestSchema, CreateActionResponseSchema, ManagementService } from "../gen/zitadel/management/v1/management_pb.js";
import { checkedAnswer, checkedGrpcAnswer, httpRequests, writeRequestBodies } from "./api-answers.js";
import { actionName, actiondCases, baselineCases, healthBody, type Served } from "./api-cases.js";
import { type ServerChild, startServerChild } from "./children.js";
import { grpcJsUnary, scriptFor } from "./clients.js";
import { loadavg, runBench } from "./common.js";
import { reportRounds, startRoundBench } from "./round-bench.js";
import { inRounds } from "./rounds.js";
import { type Store, startStores } from "./stores.js";

const say = (line: string) => process.stderr.write(`${line} …\n`);

async function createAction(s: Store, name: string): Promise<string> {
  const client = new grpc.Client(s.node.baseUrl.replace("http://", ""), grpc.credentials.createInsecure());
  const add = grpcJsUnary(client, `/${ManagementService.typeName}/CreateAction`, CreateActionRequestSchema, CreateActionResponseSchema);
  const md = new grpc.Metadata();
  md.set("authorization", `Bearer ${s.d.token}`);
  try {
    return (await add(create(CreateActionRequestSchema, { name, script: scriptFor(name) }), md)).id;
  } finally {
    client.close();
  }
}

/** The store's action to read, and its request bodies in a dir of their own. */
async function served(s: Store, dir: string): Promise<Served> {
  const id = await createAction(s, actionName);
  const bodies = writeRequestBodies(fs.mkdtempSync(path.join(dir, `${s.label}-`)), id);
  return { child: s.node.child, baseUrl: s.node.baseUrl, id, bodies, token: s.d.token, callLog: s.callLog };
}

/** The plain servers, each handed the bytes `from` answered (fetched and checked here). */
async function startBaselines(from: Served, dir: string): Promise<{ grpcPlain: Served; httpPlain: Served; children: ServerChild[] }> {
  const grpcFile = path.join(dir, "get-action.bin");
  fs.writeFileSync(grpcFile, await checkedGrpcAnswer(from.baseUrl.replace("http://", ""), from.token, from.id, actionName));
  const answers = [];
  for (const r of httpRequests(from.id, from.bodies)) answers.push(await checkedAnswer(from.baseUrl, from.token, r, actionName));
  const httpFile = path.join(dir, "answers.json");
  fs.writeFileSync(httpFile, JSON.stringify(answers));
  const [g, h] = await Promise.all([startServerChild(["grpc-bytes", grpcFile]), startServerChild(["http-bytes", httpFile])]);
  // The same requests as actiond gets, token included: only the answering differs.
  const plain = (child: ServerChild): Served => ({ child, baseUrl: `http://127.0.0.1:${child.info.port}`, id: from.id, bodies: from.bodies, token: from.token });
  return { grpcPlain: plain(g), httpPlain: plain(h), children: [g, h] };
}

async function main() {
  const { seconds, rounds, dir, loadBefore } = startRoundBench("api");
  const { stores, skipped, stop } = await startStores(dir, "bench_api", say);
  const children: ServerChild[] = [];
  try {
    const servedStores = [];
    for (const s of stores) servedStores.push({ store: s, served: await served(s, dir) });
    const sqlite = servedStores.find((x) => x.store.label === "SQLite") ?? servedStores[0];
    if (!sqlite) throw new Error("BENCH_STORES names no store");
    const baselines = await startBaselines(sqlite.served, dir);
    children.push(...baselines.children);
    const healthFile = path.join(dir, "health.grpc");
    fs.writeFileSync(healthFile, healthBody());
    const cases = [
      ...baselineCases(baselines.grpcPlain, baselines.httpPlain, seconds),
      ...servedStores.flatMap((x) => actiondCases(x.store.label, x.served, healthFile, seconds)),
    ];
    const results = await inRounds(cases, rounds, say);

    console.log(`load average (1/5/15 min) before ${loadBefore}, after ${loadavg()}`);
    console.log(`the plain servers answer the bytes ${sqlite.store.label} actiond answered (fetched first, checked by content); every case is probed with a decoding client before each run`);
    console.log("answered: calls in actiond's call log (its own count, with its codes); for a plain server and Health/Check (not logged), h2load's 2xx");
    console.log("CPU: share of one core during the measured run; load gen is h2load, or this process for the lean client");
    if (skipped) console.log(`PostgreSQL skipped: ${skipped}`);
    reportRounds(cases, results, stores);
  } finally {
    await Promise.all(children.map((c) => c.stop()));
    await stop();
  }
}

runBench(main);
