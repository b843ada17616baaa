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

/** The org's values compiled once per snapshot of its secrets; each pass over a record takes a redactor of its own. */
export interface Redaction {
  redactor(): Redactor;
}

/**
 * How many characters one pass may add: a value shorter than its marker
 * makes a text longer, and a record was held to the results cap before it
 * was redacted (runtime/result-size.ts), a cap set to half a message so it
 * fits in one. Past this, a grown text is cut to its length. Markers are
 * ASCII, so the UTF-8 bytes grow by no more than the characters.
 */
export const redactionGrowthChars = 64 * 1024;

const noRedactor: Redactor = { text: (text) => text, json: (value) => value };
const noRedaction: Redaction = { redactor: () => noRedactor };

/**
 * Redactions already compiled, by the frozen secrets they were compiled from.
 * openOrgSecrets answers the same frozen object while the org's secrets are
 * unchanged (query/secret-values.ts), and compiling 100 values of 4 KiB into one pattern
 * took about 4.5 ms of the main thread on every trigger (docs/benchmarks.md,
 * Secrets per run). A frozen object cannot change, so its pattern cannot go
 * stale; one that is not frozen is compiled afresh each time.
 */
const compiled = new WeakMap<Readonly<Record<string, string>>, Redaction>();

export function createRedaction(secrets: Readonly<Record<string, string>>): Redaction {
  if (!Object.isFrozen(secrets)) return compileRedaction(secrets);
  let redaction = compiled.get(secrets);
  if (!redaction) {
    redaction = compileRedaction(secrets);
    compiled.set(secrets, redaction);
  }
  return redaction;
}

// The pattern is only used by String.prototype.replace, which starts at lastIndex 0 and runs to the end synchronously, so callers can share it.
function compileRedaction(secrets: Readonly<Record<string, string>>): Redaction {
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
  const values = [...replacements.keys()].sort((a, b) => b.length - a.length);
  const pattern = new RegExp(values.map(escapeRegExp).join("|"), "g");
  // A text shorter than every value holds none: most of a record's keys and values, which the pattern of up to 200 values would scan for microseconds each.
  const shortest = values[values.length - 1]!.length;
  const replace = (input: string) => (input.length < shortest ? input : input.replace(pattern, (found) => replacements.get(found)!));
  return { redactor: () => budgetedRedactor(replace) };
}

function budgetedRedactor(replace: (input: string) => string): Redactor {
  let growthLeft = redactionGrowthChars;
  const text = (input: string) => {
    const out = replace(input);
    const grown = out.length - input.length;
    if (grown <= growthLeft) {
      growthLeft -= Math.max(0, grown);
      return out;
    }
    const cut = cutTo(out, input.length + growthLeft);
    growthLeft = 0;
    return cut;
  };
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

/** The first `length` UTF-16 units, without a lone high surrogate at the end. */
function cutTo(text: string, length: number): string {
  const cut = text.slice(0, length);
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
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

function redactLogs<T extends FlowRun>(redactor: Redactor, run: T): T {
  const mutations: Mutations = { ...run.mutations, claimLogs: redactor.json(run.mutations.claimLogs) };
  return { ...run, runs: run.runs.map((r) => redactRun(redactor, r)), mutations };
}

/**
 * What a caller is answered: logs, error messages and log claims redacted;
 * the claims, metadata and user changes a script set deliberately are its
 * business and are delivered as set.
 */
export function redactForAnswer<T extends FlowRun>(redaction: Redaction, run: T): T {
  return redaction === noRedaction ? run : redactLogs(redaction.redactor(), run);
}

/** What is stored: redacted throughout, the script's deliberate changes and the context too. */
export function redactForStorage(redaction: Redaction, record: ExecutionRecord): ExecutionRecord {
  if (redaction === noRedaction) return record;
  const redactor = redaction.redactor();
  const context = record.context && { context: redactor.json(record.context) };
  return { ...redactLogs(redactor, record), mutations: redactor.json(record.mutations), ...context };
}
