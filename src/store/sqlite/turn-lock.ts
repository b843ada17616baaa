/**
 * Keeps one transaction at a time on the one SQLite connection. A transaction
 * spans awaits, and any statement run on the connection meanwhile would run
 * inside it; so everyone else waits until it ends. The statements themselves
 * are synchronous: a statement outside a transaction runs right after the
 * check that none is open, with no await between them for one to begin.
 */
export class TurnLock {
  private held: Promise<void> | undefined;

  /** Runs the synchronous `statement` once no transaction is open. */
  async outside<T>(statement: () => T): Promise<T> {
    while (this.held) await this.held;
    return statement();
  }

  /** Runs `fn` as the only holder; the others wait until it settles. */
  async hold<T>(fn: () => Promise<T>): Promise<T> {
    while (this.held) await this.held;
    let release!: () => void;
    this.held = new Promise((resolve) => (release = resolve));
    try {
      return await fn();
    } finally {
      this.held = undefined;
      release();
    }
  }
}
