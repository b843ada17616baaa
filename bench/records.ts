/** Execution records of one flow and trigger, counted through ListExecutions (REST), which first writes what is queued. */
import { rest } from "./zitadel-target-setup.js";

export interface RecordFilter {
  flowType: string;
  triggerType: string;
  /** Records that started strictly after this moment (the API's filter is exclusive). */
  since: Date;
  /** The action whose runs count as succeeded. */
  actionId: string;
}

/** How many records match: all, and those whose run of the action succeeded. */
export async function countRecords(baseUrl: string, token: string, f: RecordFilter): Promise<{ all: number; succeeded: number }> {
  const search = async (extra: Record<string, unknown>) => {
    const body = { limit: 1, flowType: f.flowType, triggerType: f.triggerType, startedAfter: f.since.toISOString(), ...extra };
    const r = await rest(baseUrl, token, "POST", "/v1/executions/_search", body);
    if (r.status !== 200) throw new Error(`ListExecutions answered ${r.status}: ${r.text.slice(0, 300)}`);
    return Number((r.json as Record<string, unknown>)["totalResult"] ?? 0);
  };
  return { all: await search({}), succeeded: await search({ actionId: f.actionId, outcome: "OUTCOME_SUCCEEDED" }) };
}

/** A moment after every call made so far started, and before any call made from now on starts. */
export async function recordsFromNow(): Promise<Date> {
  const since = new Date();
  // started_at has millisecond resolution and the filter is exclusive: the next call starts a later millisecond.
  await new Promise((resolve) => setTimeout(resolve, 2));
  return since;
}
