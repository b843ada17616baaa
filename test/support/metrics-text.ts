/** Samples of a Prometheus text exposition, each keyed as `sample()` keys it. */
export type Samples = Map<string, number>;

const line = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;
const label = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** `name{a="1",b="2"}` with the labels in name order, whatever order the exposition wrote them in. */
export function sample(name: string, labels: Record<string, string> = {}): string {
  const keys = Object.keys(labels).sort();
  return keys.length === 0 ? name : `${name}{${keys.map((k) => `${k}="${labels[k]}"`).join(",")}}`;
}

/** Every sample line of the text; comments (HELP, TYPE) are skipped. */
export function parseMetrics(text: string): Samples {
  const samples: Samples = new Map();
  for (const raw of text.split("\n")) {
    const m = line.exec(raw);
    if (!m) continue;
    const labels = Object.fromEntries([...(m[2] ?? "").matchAll(label)].map((l) => [l[1]!, l[2]!]));
    samples.set(sample(m[1]!, labels), Number(m[3]));
  }
  return samples;
}

/** GET /metrics, parsed. */
export async function scrape(baseUrl: string): Promise<Samples> {
  const res = await fetch(`${baseUrl}/metrics`);
  if (res.status !== 200) throw new Error(`/metrics answered ${res.status}`);
  return parseMetrics(await res.text());
}

/** How much each sample grew from `before` to `after`, for those that grew; a sample new in `after` grew from 0. */
export function growth(before: Samples, after: Samples, prefix = ""): Record<string, number> {
  const grown: Record<string, number> = {};
  for (const [key, value] of after) {
    if (!key.startsWith(prefix)) continue;
    const by = value - (before.get(key) ?? 0);
    if (by !== 0) grown[key] = by;
  }
  return grown;
}
