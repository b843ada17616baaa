import type { OpsEndpoint } from "./ops-endpoints.js";

/** What `/metrics` serves: a registry's exposition, as prom-client's Registry gives it. */
export interface MetricsExposition {
  readonly contentType: string;
  metrics(): Promise<string>;
}

/**
 * `GET /metrics` in Prometheus' text format, collected at each scrape
 * (docs/observability.md). It needs no token, as scrapers send none: keep it
 * off the public side with the listen address or the proxy in front.
 */
export function metricsEndpoint(exposition: MetricsExposition): Record<string, OpsEndpoint> {
  return {
    "/metrics": async () => ({ status: 200, contentType: exposition.contentType, body: await exposition.metrics() }),
  };
}
