/**
 * What bench/zitadel-target.ts calls, set up as an operator would: an org with
 * a ZITADEL-style id (CLI), one action on flow 2 / trigger 4 (management REST),
 * a JSON ZITADEL target with a signing key (actiond.v1 REST), and a
 * preuserinfo body signed as ZITADEL signs it (docs/zitadel-v2-target.md).
 */
import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import { fileURLToPath } from "node:url";
import { answerOf } from "../test/support/zitadel-caller.js";
import { ids, oidcPayload } from "../test/support/zitadel-v2-payloads.js";

/** A ZITADEL org id: ZITADEL's ids are 18-digit snowflakes. */
export const zitadelOrgId = "318900732864567390";
export const script = `function addClaim(ctx, api) { api.v1.claims.setClaim("team", "blue") }`;
export const flowType = "2";
export const triggerType = "4";

const root = fileURLToPath(new URL("..", import.meta.url));

export interface Answer {
  status: number;
  text: string;
  json: unknown;
}

export interface BenchTarget {
  baseUrl: string;
  adminToken: string;
  orgId: string;
  actionId: string;
  targetId: string;
  signingKey: string;
}

/** One JSON call with the admin token, in `orgId` when given. */
export async function rest(baseUrl: string, token: string, method: string, path: string, body?: unknown, orgId?: string): Promise<Answer> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (orgId) headers["x-zitadel-orgid"] = orgId;
  return answerOf(await fetch(baseUrl + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }));
}

async function ok(answer: Promise<Answer>, what: string): Promise<Record<string, unknown>> {
  const a = await answer;
  if (a.status !== 200) throw new Error(`${what}: HTTP ${a.status} ${a.text.slice(0, 300)}`);
  return a.json as Record<string, unknown>;
}

/** `actiond org create --id`, beside the running server, as an operator mirrors a ZITADEL org. */
function createOrgWithId(dataDir: string, id: string): void {
  const args = ["--import", "tsx", "src/main.ts", "org", "create", "--name", "bench (ZITADEL org)", "--id", id, "--data-dir", dataDir];
  const r = spawnSync(process.execPath, args, { cwd: root, encoding: "utf8" });
  if (r.status !== 0 || r.stdout.trim() !== id) throw new Error(`actiond org create --id ${id}: exit ${r.status}, ${r.stdout}${r.stderr}`);
}

export async function setUpTarget(baseUrl: string, adminToken: string, dataDir: string): Promise<BenchTarget> {
  const orgId = zitadelOrgId;
  createOrgWithId(dataDir, orgId);
  const call = (method: string, path: string, body?: unknown) => ok(rest(baseUrl, adminToken, method, path, body, orgId), `${method} ${path}`);
  const action = await call("POST", "/management/v1/actions", { name: "addClaim", script });
  const actionId = String(action["id"]);
  await call("POST", `/management/v1/flows/${flowType}/trigger/${triggerType}`, { actionIds: [actionId] });
  const signingKey = crypto.randomBytes(24).toString("base64url");
  const created = await call("POST", "/v1/zitadel-targets", { name: "bench", payloadType: "PAYLOAD_TYPE_JSON", signingKeys: [signingKey] });
  const targetId = String((created["target"] as Record<string, unknown> | undefined)?.["id"] ?? "");
  if (!targetId) throw new Error(`CreateZitadelTarget answered no id: ${JSON.stringify(created)}`);
  return { baseUrl, adminToken, orgId, actionId, targetId, signingKey };
}

/**
 * A preuserinfo body as ZITADEL sends it (test/support/zitadel-v2-payloads.ts), about 1.8 KB,
 * with every mention of the fixture's org id (org.id, user.resource_owner, grants, metadata) made `orgId`.
 */
export function preuserinfoBody(orgId: string): string {
  return JSON.stringify(oidcPayload("function/preuserinfo")).replaceAll(ids.org, orgId);
}


/** How many flow 2/4 records of the bench org started after `since`: all, and those whose action succeeded. */
export async function countRecords(t: BenchTarget, since: Date, zitadelTargetId?: string): Promise<{ all: number; succeeded: number }> {
  const search = async (extra: Record<string, unknown>) => {
    const body = { limit: 1, flowType, triggerType, startedAfter: since.toISOString(), ...(zitadelTargetId ? { zitadelTargetId } : {}), ...extra };
    const r = await ok(rest(t.baseUrl, t.adminToken, "POST", "/v1/executions/_search", body, t.orgId), "ListExecutions");
    return Number(r["totalResult"] ?? 0);
  };
  return { all: await search({}), succeeded: await search({ actionId: t.actionId, outcome: "OUTCOME_SUCCEEDED" }) };
}
