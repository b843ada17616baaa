export type DeadlineResult = { timeoutMs: number | undefined; error?: undefined } | { timeoutMs?: undefined; error: string };

const grpcUnitMs: Record<string, number> = { H: 3_600_000, M: 60_000, S: 1000, m: 1, u: 1e-3, n: 1e-6 };

/**
 * A REST client may carry a deadline the way gRPC (`grpc-timeout: 5S`) or
 * Connect (`connect-timeout-ms: 5000`) clients do; grpc-gateway honours the
 * former. A malformed value is an error value, answered with InvalidArgument.
 */
export function parseDeadline(grpcTimeout: string | undefined, connectTimeoutMs: string | undefined): DeadlineResult {
  if (grpcTimeout !== undefined) {
    const m = /^(\d{1,8})([HMSmun])$/.exec(grpcTimeout);
    if (!m) return { error: `invalid grpc-timeout value: ${grpcTimeout}` };
    return { timeoutMs: Number(m[1]) * grpcUnitMs[m[2]!]! };
  }
  if (connectTimeoutMs !== undefined) {
    if (!/^\d{1,10}$/.test(connectTimeoutMs)) return { error: `invalid connect-timeout-ms value: ${connectTimeoutMs}` };
    return { timeoutMs: Number(connectTimeoutMs) };
  }
  return { timeoutMs: undefined };
}
