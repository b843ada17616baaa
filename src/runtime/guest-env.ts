import type { QuickJSContext, QuickJSHandle } from "quickjs-emscripten";
import { GuestOps } from "./guest-ops.js";
import { guardHostCall, newHostFunction, type HostImpl } from "./host-function.js";
import type { LogSink } from "./log-sink.js";
import { markTainted } from "./sandbox-module.js";
import type { Session } from "./sandbox.js";
import type { TriggerSpec } from "./triggers.js";
import type { ActionHost, RunLimits } from "./types.js";

export interface GuestEnvOptions {
  limits: RunLimits;
  deadline: number;
  host: ActionHost;
  trigger: TriggerSpec;
  actionName: string;
  logs: LogSink;
  /** The run's org's secrets by name, for `require("actiond/secrets")`. */
  secrets: Readonly<Record<string, string>>;
}

/** What the host-side pieces of one run share. */
export class GuestEnv {
  readonly vm: QuickJSContext;
  readonly ops: GuestOps;
  readonly limits: RunLimits;
  readonly deadline: number;
  readonly host: ActionHost;
  readonly trigger: TriggerSpec;
  readonly actionName: string;
  readonly logs: LogSink;
  readonly secrets: Readonly<Record<string, string>>;
  private internal: unknown;

  constructor(
    readonly session: Session,
    options: GuestEnvOptions,
  ) {
    this.vm = session.vm;
    this.ops = new GuestOps(session.vm, session.scope, options.limits.maxResultBytes);
    this.limits = options.limits;
    this.deadline = options.deadline;
    this.host = options.host;
    this.trigger = options.trigger;
    this.actionName = options.actionName;
    this.logs = options.logs;
    this.secrets = options.secrets;
  }

  /** A host function owned by the run. */
  fn(name: string, impl: HostImpl): QuickJSHandle {
    return this.session.scope.manage(newHostFunction(this.vm, name, impl, (error) => this.reportInternal(error)));
  }

  /** Host code for a guest accessor, with the same error handling as `fn`. */
  guard(name: string, impl: HostImpl): ReturnType<typeof guardHostCall> {
    return guardHostCall(this.vm, name, impl, (error) => this.reportInternal(error));
  }

  /** Hands a handle to the run, which disposes it at its end. */
  keep<T extends QuickJSHandle>(handle: T): T {
    return this.session.scope.manage(handle);
  }

  /** The first unexpected host error inside a host function, if any. */
  internalError(): unknown {
    return this.internal;
  }

  private reportInternal(error: unknown): void {
    this.internal ??= error;
    markTainted(this.session.module, `host function failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
