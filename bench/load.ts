/** Closed-loop load: N workers, each with one request in flight, stopped by time and by count. */

export interface LoadOptions {
  concurrency: number;
  warmupMs: number;
  durationMs: number;
  /** Hard cap on requests per phase (also the size of the latency buffer). */
  maxRequests: number;
  /** How long past the deadline to wait for calls still in flight before giving up on them. */
  hangGraceMs: number;
  /** Called when the measured phase starts; the function it returns, when it ends. */
  onMeasure?: () => () => void;
}

export interface LoadResult {
  ok: number;
  errors: number;
  firstError?: string;
  elapsedMs: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** Some calls were still pending hangGraceMs after the deadline. */
  incomplete: boolean;
}

type Recorder = (latencyMs: number, failed: boolean, err: unknown) => void;

async function phase(call: () => Promise<unknown>, o: LoadOptions, ms: number, record: Recorder): Promise<boolean> {
  const end = performance.now() + ms;
  let started = 0;
  const worker = async () => {
    while (performance.now() < end && started < o.maxRequests) {
      started++;
      const t0 = performance.now();
      let failed = false;
      let error: unknown;
      try {
        await call();
      } catch (err) {
        failed = true;
        error = err;
      }
      record(performance.now() - t0, failed, error);
    }
  };
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms + o.hangGraceMs)));
  const done = Promise.all(Array.from({ length: o.concurrency }, worker)).then(() => true);
  try {
    return await Promise.race([done, hung]);
  } finally {
    clearTimeout(timer);
  }
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

export async function runLoad(call: () => Promise<unknown>, o: LoadOptions): Promise<LoadResult> {
  await phase(call, o, o.warmupMs, () => {});

  const latencies = new Float64Array(o.maxRequests);
  let ok = 0;
  let errors = 0;
  let firstError: string | undefined;
  let recording = true;
  const measured = o.onMeasure?.();
  const start = performance.now();
  const complete = await phase(call, o, o.durationMs, (ms, failed, err) => {
    if (!recording) return;
    if (!failed) {
      if (ok < latencies.length) latencies[ok] = ms;
      ok++;
      return;
    }
    errors++;
    firstError ??= err instanceof Error ? err.message : String(err);
  });
  recording = false;
  const elapsedMs = performance.now() - start;
  measured?.();
  const sorted = latencies.subarray(0, Math.min(ok, latencies.length)).sort();
  return {
    ok,
    errors,
    firstError,
    elapsedMs,
    rps: (ok / elapsedMs) * 1000,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    incomplete: !complete,
  };
}
