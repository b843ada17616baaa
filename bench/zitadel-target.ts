/**
 * `npm run bench:target`: what a ZITADEL v2 call to actiond's target endpoint
 * costs, beside RunTrigger and bare QuickJS in the same run.
 *
 * An actiond child process (bench/server-process.ts) on a temp data dir gets an
 * org with a ZITADEL-style id, one action setting a claim on flow 2 / trigger 4,
 * and a JSON ZITADEL target. h2load (bench/h2load.ts) then drives, over
 * HTTP/1.1 at each BENCH_IN_FLIGHT level:
 *   - the target: a signed preuserinfo body, re-signed before every h2load run;
 *   - RunTrigger over REST with the v1 context the target maps the same body to;
 *   - RunTrigger over REST with `{"context":{}}`;
 * and bare QuickJS runs the script in this process (bench/bare.ts). The cases
 * are interleaved in BENCH_ROUNDS rounds (every second one in reverse order) and the
 * report gives medians, because the machine's speed drifts within minutes.
 * Before the rounds, RunTrigger calls fill the org's records to
 * --execution-max-per-org, so that every round measures a server that has run a while.
 *
 * Nothing lost: every answer must be 2xx (h2load counts status codes; it reads
 * no bodies), and each case must leave exactly one flow 2/4 record per 2xx
 * answer, with its action succeeded (the target's counted by zitadel_target_id).
 * Any miss, or a target endpoint that does not answer the probe with the claim,
 * is printed and makes the exit code 1. Prints only; asserts nothing about timings.
 *
 * Env: BENCH_IN_FLIGHT (default "1,16,64"), BENCH_ROUNDS (3), BENCH_SECONDS
 * (measured seconds per case after about 1 s of warm-up, 5), BENCH_QUIET_SECONDS (20).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { v2FunctionToV1 } from "../src/api/zitadel-v2/index.js";
import { bareQuickJS, measureLoop } from "./bare.js";
import { type ServerChild, startServerChild } from "./children.js";
import { cpuMeter, envNumber, loadavg, runBench, waitForQuiet } from "./common.js";
import { ensureH2load, type H2loadResult, runH2load } from "./h2load.js";
import {
  type BenchTarget,
  countRecords,
  flowType,
  preuserinfoBody,
  rest,
  script,
  setUpTarget,
  triggerType,
} from "./zitadel-target-setup.js";
import { signatureHeader } from "../test/support/zitadel-caller.js";
import { caseKey, formatReport, type HttpKind, type HttpMeasure, kindLabels, type Round } from "./zitadel-target-report.js";

const step = (what: string) => process.stderr.write(`${what} …\n`);
const quietMs = envNumber("BENCH_QUIET_SECONDS", 20, false) * 1_000;
const maxRequests = 2_000_000;

interface HttpCase {
  kind: HttpKind;
  url: string;
  bodyFile: string;
  /** Fresh for each h2load run: the target's signature must stay within ZITADEL's 300 s tolerance. */
  headers(): Record<string, string>;
  /** The case's records: flow 2/4 records started after `since`. */
  records(since: Date): Promise<{ all: number; succeeded: number }>;
}

function inFlightLevels(): number[] {
  const raw = process.env["BENCH_IN_FLIGHT"] || "1,16,64";
  const levels = raw.split(",").map((s) => Number(s.trim()));
  if (levels.some((n) => !Number.isInteger(n) || n <= 0)) throw new Error(`BENCH_IN_FLIGHT: expected positive integers separated by commas, got "${raw}"`);
  return levels;
}

/**
 * One signed call with fetch before any load: the endpoint must answer 200 with
 * the claim, and leave one record. Returns why the target cases cannot run, if they cannot.
 */
async function probeTarget(t: BenchTarget, body: string): Promise<string | undefined> {
  const url = `${t.baseUrl}/zitadel/v2/targets/${t.targetId}`;
  const since = new Date(Date.now() - 1);
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", "zitadel-signature": signatureHeader(body, t.signingKey) }, body });
  const text = await res.text();
  const where = `POST /zitadel/v2/targets/${t.targetId}`;
  if (res.status === 404 && !text.includes('"unknown-target"')) {
    return `${where} answered 404 (${text.slice(0, 120) || "no body"}): this server has no ZITADEL target endpoint yet`;
  }
  if (res.status !== 200) return `${where} answered ${res.status}: ${text.slice(0, 300)}`;
  const claims = (JSON.parse(text) as { append_claims?: { key: string; value: unknown }[] }).append_claims ?? [];
  if (!claims.some((c) => c.key === "team" && c.value === "blue")) return `${where} answered 200 without the claim team=blue: ${text.slice(0, 300)}`;
  const records = await countRecords(t, since);
  if (records.succeeded !== 1) return `${where} answered 200 but left ${records.succeeded} succeeded records instead of 1`;
  return undefined;
}

/**
 * Whether ListExecutions filters by zitadel_target_id (the contract adds it). REST ignores
 * unknown JSON fields, so the answer is told apart by counts, after the probe left a record.
 */
async function targetFilterOf(t: BenchTarget): Promise<string | undefined> {
  const total = async (zitadelTargetId: string) => {
    const r = await rest(t.baseUrl, t.adminToken, "POST", "/v1/executions/_search", { limit: 1, zitadelTargetId }, t.orgId);
    return r.status === 200 ? Number((r.json as Record<string, unknown>)["totalResult"] ?? 0) : NaN;
  };
  return (await total("no-such-target")) === 0 && (await total(t.targetId)) > 0 ? t.targetId : undefined;
}

async function measureHttp(c: HttpCase, inFlight: number, seconds: number, rateGuess: number, server: ServerChild): Promise<HttpMeasure> {
  await waitForQuiet(quietMs);
  const run = (requests: number) => runH2load({ url: c.url, clients: inFlight, requests, bodyFile: c.bodyFile, headers: c.headers() });
  // The previous case's last record started at least a second ago (waitForQuiet).
  const since = new Date(Date.now() - 1);
  // Count-based runs (bench/h2load.ts): a warm-up of about 1 s at the last round's rate, whose rate sizes the measured run.
  const warm = await run(Math.min(maxRequests, Math.max(inFlight * 4, Math.round(rateGuess))));
  const cpu = { server: NaN, others: NaN };
  const stop = cpuMeter(server.pid, (_self, serverCpu, others) => Object.assign(cpu, { server: serverCpu, others }))();
  const t0 = performance.now();
  // At most what the org keeps of records beside the warm-up's, so that every record of the case can be counted.
  const room = (server.info.executionMaxPerOrg ?? maxRequests) - warm.status["2xx"];
  const measured = await run(Math.max(inFlight, Math.min(maxRequests, room, inFlight * 10 + Math.round(warm.rps * seconds))));
  const wall = (performance.now() - t0) / 1_000;
  stop();
  const loadgenCpu = measured.cpuSeconds / wall;
  // cpuMeter counts h2load, a child of this process, among the others.
  const othersCpu = Math.max(0, cpu.others - loadgenCpu);
  const expected = warm.status["2xx"] + measured.status["2xx"];
  const records = { expected, ...(await c.records(since)) };
  const problems: string[] = [];
  const bad = (h: H2loadResult) => h.requests - h.status["2xx"];
  if (bad(warm) + bad(measured) > 0) problems.push(`${bad(warm) + bad(measured)} calls answered other than 2xx, or not at all`);
  if (records.all !== expected || records.succeeded !== expected) {
    problems.push(`${records.all} records (${records.succeeded} succeeded) for ${expected} 2xx answers`);
  }
  return { warm, run: measured, serverCpu: cpu.server, loadgenCpu, othersCpu, records, problems };
}

/**
 * RunTrigger calls until the org holds as many records as --execution-max-per-org keeps: the state of a
 * server that has run a while, where each record written also drops the oldest
 * (src/store/execution-records.ts), and the rounds measure that same state from the first to the last.
 */
async function fillRecords(c: HttpCase, cap: number): Promise<string | undefined> {
  const h = await runH2load({ url: c.url, clients: 16, requests: cap, bodyFile: c.bodyFile, headers: c.headers() });
  const bad = h.requests - h.status["2xx"];
  return bad === 0 ? undefined : `filling the records: ${bad} of ${h.requests} RunTrigger calls answered other than 2xx`;
}

function httpCases(t: BenchTarget, dir: string, targetFilter: string | undefined, withTarget: boolean): HttpCase[] {
  const body = preuserinfoBody(t.orgId);
  const mapped = v2FunctionToV1(JSON.parse(body));
  if (!mapped.ok) throw new Error(`the bench body does not map: ${mapped.field} ${mapped.message}`);
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };
  const runTriggerUrl = `${t.baseUrl}/v1/flows/${flowType}/triggers/${triggerType}/_run`;
  const runTriggerHeaders = () => ({ "content-type": "application/json", authorization: `Bearer ${t.adminToken}`, "x-zitadel-orgid": t.orgId });
  const cases: HttpCase[] = [
    {
      kind: "runTriggerSame",
      url: runTriggerUrl,
      bodyFile: write("run-trigger-same.json", JSON.stringify({ context: mapped.value.context })),
      headers: runTriggerHeaders,
      records: (since) => countRecords(t, since),
    },
    {
      kind: "runTriggerEmpty",
      url: runTriggerUrl,
      bodyFile: write("run-trigger-empty.json", JSON.stringify({ context: {} })),
      headers: runTriggerHeaders,
      records: (since) => countRecords(t, since),
    },
  ];
  if (!withTarget) return cases;
  return [
    {
      kind: "target",
      url: `${t.baseUrl}/zitadel/v2/targets/${t.targetId}`,
      bodyFile: write("preuserinfo.json", body),
      headers: () => ({ "content-type": "application/json", "zitadel-signature": signatureHeader(body, t.signingKey) }),
      records: (since) => countRecords(t, since, targetFilter),
    },
    ...cases,
  ];
}

async function measureBare(execute: () => void, seconds: number): Promise<Round["bare"]> {
  await waitForQuiet(quietMs);
  let othersCpu = NaN;
  const stop = cpuMeter(undefined, (_self, _server, others) => (othersCpu = others))();
  const r = measureLoop(execute, { warmupMs: 1_000, durationMs: seconds * 1_000, maxExecutions: Math.ceil(50_000 * seconds) });
  stop();
  return { r, othersCpu };
}

/** The cases interleaved round by round, every second round in reverse order; problems are pushed onto `problems`. */
async function measureRounds(cases: HttpCase[], server: ServerChild, problems: string[]): Promise<Round[]> {
  const inFlight = inFlightLevels();
  const rounds = envNumber("BENCH_ROUNDS", 3, true);
  const seconds = envNumber("BENCH_SECONDS", 5, false);
  const bareExec = await bareQuickJS(script, "addClaim");
  const lastRate = new Map<string, number>();
  const results: Round[] = [];
  for (let round = 1; round <= rounds; round++) {
    const http = new Map<string, HttpMeasure>();
    let bare: Round["bare"] | undefined;
    const order = inFlight.flatMap((c) =>
      cases.map((hc) => async () => {
        const key = caseKey(hc.kind, c);
        const label = `round ${round}/${rounds}, ${kindLabels[hc.kind]}, ${c} in flight`;
        step(label);
        const m = await measureHttp(hc, c, seconds, lastRate.get(key) ?? 200, server);
        lastRate.set(key, m.run.rps);
        problems.push(...m.problems.map((p) => `${label}: ${p}`));
        http.set(key, m);
      }),
    );
    order.push(async () => {
      step(`round ${round}/${rounds}, bare QuickJS`);
      bare = await measureBare(bareExec.execute, seconds);
    });
    if (round % 2 === 0) order.reverse();
    for (const run of order) await run();
    results.push({ http, bare: bare! });
  }
  if (bareExec.claims()["team"] !== "blue") problems.push("bare QuickJS did not set the claim");
  return results;
}

async function main() {
  ensureH2load((line) => process.stderr.write(line + "\n"));
  const loadBefore = loadavg();
  console.log(`Node ${process.version}, ${os.availableParallelism()} cores (${os.cpus()[0]?.model.trim() ?? "unknown CPU"}); load generator h2load --h1, one connection per call in flight`);
  console.log(`${envNumber("BENCH_ROUNDS", 3, true)} rounds × (about 1 s warm-up + ${envNumber("BENCH_SECONDS", 5, false)} s measured) per case; loopback only; action: ${script}`);

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "actiond-bench-target-"));
  const bodies = fs.mkdtempSync(path.join(os.tmpdir(), "actiond-bench-target-bodies-"));
  const child = await startServerChild(["actiond", dataDir]).catch((err: unknown) => {
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw err;
  });
  try {
    step("setting up: org (CLI), action on flow 2/4, ZITADEL target");
    const t = await setUpTarget(`http://127.0.0.1:${child.info.port}`, child.info.adminToken ?? "", dataDir);
    const body = preuserinfoBody(t.orgId);
    const targetMissing = await probeTarget(t, body);
    const targetFilter = targetMissing ? undefined : await targetFilterOf(t);
    const cap = child.info.executionMaxPerOrg ?? 0;
    console.log(
      `server: ${child.info.workers} worker(s), org concurrency ${child.info.orgConcurrency}; org ${t.orgId}; target ${t.targetId}; ` +
        `preuserinfo body ${Buffer.byteLength(body)} bytes; the org holds --execution-max-per-org ${cap} records throughout` +
        (targetMissing ? "" : `; target records counted ${targetFilter ? "by zitadel_target_id" : "by flow 2/4 (this server has no zitadel_target_id filter)"}`),
    );
    if (targetMissing) console.log(`TARGET NOT MEASURED: ${targetMissing}`);
    const problems: string[] = targetMissing ? [targetMissing] : [];
    const cases = httpCases(t, bodies, targetFilter, targetMissing === undefined);
    step(`filling the org's execution records to --execution-max-per-org (${cap})`);
    const filling = await fillRecords(cases.find((c) => c.kind === "runTriggerEmpty")!, cap);
    if (filling) problems.push(filling);
    const rounds = await measureRounds(cases, child, problems);

    console.log(`load average (1/5/15 min) before ${loadBefore}, after ${loadavg()}`);
    console.log("calls/s and latencies are h2load's (p50/p99 from its per-request log); CPU is the share of one core during the measured run");
    console.log();
    console.log(formatReport({ inFlight: inFlightLevels(), kinds: cases.map((c) => c.kind), rounds }));
    if (problems.length > 0) {
      console.log();
      console.log("FAILED:");
      for (const p of problems) console.log(`- ${p}`);
      throw new Error(`${problems.length} problem(s), listed above`);
    }
  } finally {
    await child.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(bodies, { recursive: true, force: true });
  }
}

runBench(main);
