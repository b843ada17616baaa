/** SQLSTATEs that mean "another transaction got there first": the transaction may succeed if run again. */
const retryable = new Set(["40001", "40P01"]);
/** The events' unique (aggregate, sequence): a concurrent append to the same aggregate (store/event-store.ts). */
const sequenceConstraint = "events_sequence";

export function isRetryableConflict(err: unknown): boolean {
  const { code, constraint } = err as { code?: unknown; constraint?: unknown };
  return retryable.has(code as string) || (code === "23505" && constraint === sequenceConstraint);
}

/** Socket errors, SQLSTATE class 08 (connection), 57P01-57P03 (shutting down, starting up), 53300 (no slot). */
const unreachableCodes = new Set(["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "57P01", "57P02", "57P03", "53300"]);
/** pg's own errors for a lost or unobtainable connection carry no code. */
const unreachableMessages = [/connection terminated/i, /timeout exceeded when trying to connect/i, /not queryable/i, /connection.*(closed|ended)/i];

/** Whether the error says the database cannot be reached, rather than that a statement failed. */
export function isUnreachable(err: unknown): boolean {
  const { code, message } = err as { code?: unknown; message?: unknown };
  if (typeof code === "string" && (unreachableCodes.has(code) || code.startsWith("08"))) return true;
  return typeof message === "string" && unreachableMessages.some((m) => m.test(message));
}
