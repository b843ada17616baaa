import { parseTimeout as parseConnectTimeout } from "@connectrpc/connect/protocol-connect";
import { parseTimeout as parseGrpcTimeout } from "@connectrpc/connect/protocol-grpc";

export type DeadlineResult = { timeoutMs: number | undefined; error?: undefined } | { timeoutMs?: undefined; error: string };

/**
 * A REST client may carry a deadline the way gRPC (`grpc-timeout: 5S`) or
 * Connect (`connect-timeout-ms: 5000`) clients do; grpc-gateway honours the
 * former. A malformed value is an error value, answered with InvalidArgument
 * in our words: connect's say "protocol error", which a REST client never spoke.
 */
export function parseDeadline(grpcTimeout: string | null, connectTimeoutMs: string | null): DeadlineResult {
  if (grpcTimeout !== null) {
    const parsed = parseGrpcTimeout(grpcTimeout, Number.MAX_SAFE_INTEGER);
    return parsed.error ? { error: `invalid grpc-timeout value: ${grpcTimeout}` } : { timeoutMs: parsed.timeoutMs };
  }
  if (connectTimeoutMs !== null) {
    const parsed = parseConnectTimeout(connectTimeoutMs, Number.MAX_SAFE_INTEGER);
    return parsed.error ? { error: `invalid connect-timeout-ms value: ${connectTimeoutMs}` } : { timeoutMs: parsed.timeoutMs };
  }
  return { timeoutMs: undefined };
}
