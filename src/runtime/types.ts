import type { JsonObject } from "./json.js";
import type { PackedMutations } from "./mutations.js";
import type { ExecutionResults } from "./result-budget.js";

export type { JsonObject, JsonValue } from "./json.js";

/** Per-run bounds; every field is optional on input and clamped by `resolveLimits`. */
export interface RunLimits {
  /** QuickJS heap limit of the run's runtime (the module's WASM memory cap stays the hard bound). */
  memoryBytes: number;
  /** QuickJS stack limit; keep at 256 KiB on a main thread, up to 1 MiB in a worker with a 4 MiB stack. */
  stackBytes: number;
  maxLogEntries: number;
  /** Total UTF-8 bytes of all log messages of the run. */
  maxLogBytes: number;
  /** Largest string a guest may hand to the host in one piece (a claim value, an argument, api arrays). */
  maxResultBytes: number;
}

export interface ActionRunRequest {
  /** The action's name: the script must define a global function with exactly this name. */
  name: string;
  script: string;
  /** Absolute `performance.now()` time, in ms, of this thread, after which the run is interrupted. */
  deadline: number;
  /** "1".."4" */
  flowType: string;
  /** "1".."6" */
  triggerType: string;
  /** The trigger's data; see `TriggerContext` and `validateContext`. */
  context: JsonObject;
  /**
   * The run's org's secrets by name, opened by the host for this run only:
   * `require("actiond/secrets").get(name)` answers them. None when absent.
   */
  secrets?: Readonly<Record<string, string>>;
  /** What earlier actions of the same flow invocation changed. */
  mutations: PackedMutations;
  /** The run's execution, whose results (changes and logs of all its runs) are capped; uncapped when absent. */
  results?: ExecutionResults;
  limits?: Partial<RunLimits>;
  /**
   * Asked along with the deadline: true stops the run as if its deadline had
   * passed, because the host gave up on it (its caller went away).
   */
  stopped?: () => boolean;
}

export type Outcome = "succeeded" | "failed" | "timed_out" | "out_of_memory";
export type LogLevel = "debug" | "info" | "warn" | "error";

export interface LogEntry {
  level: LogLevel;
  message: string;
}

export interface RunError {
  message: string;
  line?: number;
  column?: number;
}

export interface ActionRunResult {
  outcome: Outcome;
  durationMs: number;
  error?: RunError;
  logs: LogEntry[];
  /** Input mutations plus this run's changes; the input mutations unchanged when the run did not succeed. */
  mutations: PackedMutations;
  /** What the run added to its execution's results (runtime/result-size.ts): its logs, and its changes when it succeeded. */
  resultBytes?: number;
}

export interface HostFetchRequest {
  url: string;
  method: string;
  headers: Record<string, string[]>;
  body?: string;
  /** Time left until the run's deadline; the host must not block longer. */
  timeoutMs: number;
}

export type HostFetchResponse =
  | { status: number; body: string; headers: Record<string, string[]> }
  | { error: string };

/** What the embedding thread provides; every call is synchronous from the guest's view. */
export interface ActionHost {
  fetch(request: HostFetchRequest): HostFetchResponse;
  /** Source of random (v4) UUIDs; node:crypto when absent. */
  uuid?: () => string;
  /** Wall clock in epoch ms for time-based (v1) UUIDs; Date.now when absent. */
  now?: () => number;
}
