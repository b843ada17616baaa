import type { ExecutionRecord, FlowRun, RunRecord } from "../domain/execution-record.js";
import type { JsonValue, Mutations } from "../runtime/index.js";

/**
 * Replaces every occurrence of a run's org's secret values with
 * `[secret:NAME]` (docs/secrets.md, Redaction). Each value is also matched
 * in its JSON-escaped form, as a metadata value or claim text holds it.
 * Only verbatim occurrences are found: a script that encodes a value (base64
 * for a Basic header, say) and logs the result is not redacted.
 */
export interface Redactor {
  text(text: string): string;
  /** Every string of a JSON value, keys too. */
  json<T extends JsonValue | object>(value: T): T;
}

const noRedaction: Redactor = { text: (text) => text, json: (value) => value };

export function createRedactor(secrets: Readonly<Record<string, string>>): Redactor {
  const replacements = new Map<string, string>();
  for (const [name, value] of Object.entries(secrets)) {
    if (value === "") continue;
    const marker = `[secret:${name}]`;
    replacements.set(value, marker);
    const escaped = JSON.stringify(value).slice(1, -1);
    if (escaped !== value && !replacements.has(escaped)) replacements.set(escaped, marker);
  }
  if (replacements.size === 0) return noRedaction;
  // One pass, longest first: a value inside a longer one, or inside a marker already written, is never replaced twice.
  const alternatives = [...replacements.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const pattern = new RegExp(alternatives.join("|"), "g");
  const text = (input: string) => input.replace(pattern, (found) => replacements.get(found)!);
  const json = (value: unknown): unknown => {
    if (typeof value === "string") return text(value);
    if (Array.isArray(value)) return value.map(json);
    if (value !== null && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [text(k), json(v)]));
    }
    return value;
  };
  return { text, json: <T>(value: T) => json(value) as T };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function redactRun(redactor: Redactor, run: RunRecord): RunRecord {
  return {
    ...run,
    logs: run.logs.map((entry) => ({ ...entry, message: redactor.text(entry.message) })),
    ...(run.error && { error: { ...run.error, message: redactor.text(run.error.message) } }),
  };
}

/**
 * What a caller is answered: logs, error messages and log claims redacted;
 * the claims, metadata and user changes a script set deliberately are its
 * business and are delivered as set.
 */
export function redactForAnswer<T extends FlowRun>(redactor: Redactor, run: T): T {
  if (redactor === noRedaction) return run;
  const mutations: Mutations = { ...run.mutations, claimLogs: redactor.json(run.mutations.claimLogs) };
  return { ...run, runs: run.runs.map((r) => redactRun(redactor, r)), mutations };
}

/** What is stored: redacted throughout, the script's deliberate changes too. */
export function redactForStorage(redactor: Redactor, record: ExecutionRecord): ExecutionRecord {
  if (redactor === noRedaction) return record;
  const context = record.context && { context: redactor.json(record.context) };
  return { ...redactForAnswer(redactor, record), mutations: redactor.json(record.mutations), ...context };
}
