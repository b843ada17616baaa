import { runAction } from "../../src/runtime/run-action.js";
import { emptyMutations, type PackedMutations, unpackMutations } from "../../src/runtime/mutations.js";
import { getSandboxModule, type SandboxModule } from "../../src/runtime/sandbox-module.js";
import type { TriggerContext } from "../../src/runtime/trigger-context.js";
import type { ActionHost, ActionRunRequest, ActionRunResult, HostFetchRequest, JsonObject, JsonValue, RunLimits } from "../../src/runtime/types.js";

/** Shared by the runtime's tests: one run on this thread's module, as the worker pool will do it. */
export interface TestRun {
  name?: string;
  flowType?: string;
  triggerType?: string;
  context?: TriggerContext | JsonObject;
  mutations?: PackedMutations;
  timeoutMs?: number;
  limits?: Partial<RunLimits>;
  results?: ActionRunRequest["results"];
  host?: ActionHost;
  module?: SandboxModule;
  stopped?: () => boolean;
  secrets?: Record<string, string>;
}

/** A host whose fetch never touches the network: it records requests and answers from a table. */
export function stubHost(answer: (request: HostFetchRequest) => ReturnType<ActionHost["fetch"]> = () => ({ error: "no network in tests" })) {
  const requests: HostFetchRequest[] = [];
  const host: ActionHost = {
    fetch(request) {
      requests.push(request);
      return answer(request);
    },
    uuid: () => "00000000-0000-4000-8000-000000000000",
    now: () => Date.UTC(2024, 0, 1),
  };
  return { host, requests };
}

export async function run(script: string, options: TestRun = {}): Promise<ActionRunResult> {
  const module = options.module ?? (await getSandboxModule());
  return runAction(
    {
      name: options.name ?? "action",
      script,
      deadline: performance.now() + (options.timeoutMs ?? 2_000),
      flowType: options.flowType ?? "2",
      triggerType: options.triggerType ?? "5",
      context: (options.context ?? {}) as JsonObject,
      mutations: options.mutations ?? emptyMutations(),
      limits: options.limits,
      results: options.results,
      stopped: options.stopped,
      secrets: options.secrets,
    },
    options.host ?? stubHost().host,
    module,
  );
}

/** The claims a run's mutations hold, parsed (runs hand them on packed, as JSON text). */
export function claimsOf(result: ActionRunResult): Record<string, JsonValue> {
  return unpackMutations(result.mutations).claims;
}

/** Runs `body` as the action function's body. */
export function action(body: string, name = "action"): string {
  return `function ${name}(ctx, api) {\n${body}\n}`;
}

/** After anything hostile, the thread must still run a trivial action. */
export async function expectHealthy(): Promise<void> {
  const result = await run(action(""));
  if (result.outcome !== "succeeded") throw new Error(`a trivial action no longer runs: ${JSON.stringify(result)}`);
}

/** Evaluates `expression` in a flow 1 or 3 action and reads it back through that trigger's api (metadata, or a grant). */
export async function observeInLoginFlow(expression: string, flowType: string, triggerType: string, context: TriggerContext = {}): Promise<unknown> {
  const body =
    triggerType === "3"
      ? `api.v1.appendUserGrant({ projectId: JSON.stringify(${expression}) });`
      : `api.v1.user.appendMetadata("out", ${expression});`;
  const result = await run(action(body), { flowType, triggerType, context });
  if (result.error) throw new Error(`the observing action failed: ${result.error.message}`);
  if (triggerType === "3") return JSON.parse(result.mutations.userGrants[0]?.projectId ?? "null");
  const entry = result.mutations.metadata.find((m) => m.key === "out");
  return entry ? JSON.parse(entry.value) : undefined;
}
