const units: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "90s", "15m", "12h", "30d" (also combined: "1d12h") to milliseconds; undefined when malformed. */
export function parseDuration(text: string): number | undefined {
  const parts = [...text.matchAll(/(\d+)([smhd])/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== text) return undefined;
  const ms = parts.reduce((sum, [, n, unit]) => sum + Number(n) * units[unit!]!, 0);
  return ms > 0 && Number.isSafeInteger(ms) ? ms : undefined;
}
