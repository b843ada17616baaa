/**
 * Why the fetcher refused an exchange rather than failed at it, as the
 * metrics count refusals (docs/observability.md): a URL it does not take
 * (unparsable, not http or https, with userinfo, or a redirect's), a request
 * it does not send (method, headers, body), a host name or an address the
 * policy refuses, too many redirects, a response over the cap.
 */
export type EgressRefusal = "url" | "request" | "host" | "address" | "redirects" | "response-too-large";

export const egressRefusals: readonly EgressRefusal[] = ["url", "request", "host", "address", "redirects", "response-too-large"];

/** A failure whose message is meant for the caller as is; `refusal` when the fetcher refused rather than failed. */
export class EgressError extends Error {
  constructor(
    message: string,
    readonly refusal?: EgressRefusal,
  ) {
    super(message);
  }
}

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
