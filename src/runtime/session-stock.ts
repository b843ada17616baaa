import { resolveLimits } from "./limits.js";
import { isRetired, markTainted, recycleIfRetired, type SandboxModule } from "./sandbox-module.js";
import { closeSession, newSession, type Session, type SessionSource } from "./sandbox.js";
import type { RunLimits } from "./types.js";

/**
 * Sessions for a thread that runs one action at a time and is idle between
 * runs: creating the next runtime and context, and disposing the last run's,
 * happen while it is idle instead of between a request and its answer
 * (creating and disposing are most of a trivial run). Every run still gets a
 * fresh runtime and context: a prepared session has never run any code (its
 * interrupt handler stops everything until the run arms it), and it is handed
 * out once.
 */
export class SessionStock implements SessionSource {
  private ready?: Session;
  private readonly finished: Session[] = [];
  /** The likeliest limits of the next run; a run with others sets them when it arms the session. */
  private limits?: RunLimits;

  open(module: SandboxModule, limits: RunLimits): Session {
    this.limits = limits;
    const ready = this.ready;
    this.ready = undefined;
    // A run never starts on a retired module (runAction refuses one), so a session prepared on its module is usable.
    if (ready?.module === module) return ready;
    if (ready) dispose(ready);
    return newSession(module, limits);
  }

  /** Keeps the run's session for `tidy`, so that disposing it does not delay the run's answer. */
  close(session: Session): void {
    this.finished.push(session);
  }

  /** Disposes the sessions of finished runs; a dispose that throws taints their module, which is then replaced. */
  tidy(): void {
    for (const session of this.finished.splice(0)) dispose(session);
  }

  /**
   * Makes a session ready on `module` for the next run, dropping one ready on
   * another module. False when `module` is retired, also when preparing
   * retired it (its memory grew past the threshold): prepare again on the
   * replacement, or the next run opens its own.
   */
  prepare(module: SandboxModule): boolean {
    if (this.ready && this.ready.module !== module) this.drop();
    if (isRetired(module)) return false;
    try {
      this.ready ??= newSession(module, this.limits ?? resolveLimits(undefined, module.memoryCapBytes));
    } catch (error) {
      markTainted(module, `preparing a session failed: ${error instanceof Error ? error.message : String(error)}`);
      recycleIfRetired(module);
      return false;
    }
    if (!isRetired(module)) return true;
    this.drop();
    return false;
  }

  /** Disposes every session it holds, for a thread that stops running actions. */
  clear(): void {
    this.tidy();
    this.drop();
  }

  private drop(): void {
    if (this.ready) dispose(this.ready);
    this.ready = undefined;
  }
}

function dispose(session: Session): void {
  closeSession(session);
  recycleIfRetired(session.module);
}
