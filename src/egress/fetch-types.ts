/**
 * A script's request as the sandbox hands it over. It comes from untrusted
 * code, so every field is checked again (see ./prepare-request.ts).
 */
export interface EgressRequest {
  url: string;
  method: string;
  headers: Record<string, string[]>;
  body?: string;
}

export interface EgressResponse {
  status: number;
  body: string;
  /** Lower-cased names, every value in arrival order. */
  headers: Record<string, string[]>;
}

/** Every refusal or failure is a value: a script's `fetch` never sees a host exception. */
export type EgressResult = EgressResponse | { error: string };

export interface EgressFetcher {
  /**
   * One exchange, bounded by `deadline` (absolute `performance.now()` ms) and
   * ended early when `signal` aborts. Never throws.
   */
  fetch(request: EgressRequest, deadline: number, signal?: AbortSignal): Promise<EgressResult>;
}
