/** A failure whose message is meant for the caller as is. */
export class EgressError extends Error {}

/** The caller's message for anything thrown: an EgressError as is, a system error with its code (`ECONNREFUSED: …`). */
export function describeError(err: unknown): string {
  if (err instanceof EgressError) return err.message;
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    return code && !err.message.includes(code) ? `${code}: ${err.message}` : err.message;
  }
  return String(err);
}

/** A URL for a message, cut at 200 characters: scripts choose URLs, and messages end up in logs. */
export function quoteUrl(url: string): string {
  return JSON.stringify(url.length > 200 ? `${url.slice(0, 200)}…` : url);
}

/**
 * What to throw when a step of the exchange fails: an EgressError keeps its
 * message, and after the exchange closed nobody reads the error; anything else
 * gets the step's name, since a bare `ECONNRESET` does not say which hop failed.
 */
export function stepFailure(err: unknown, closed: boolean, step: string): unknown {
  if (closed || err instanceof EgressError) return err;
  return new EgressError(`${step} failed: ${describeError(err)}`);
}
