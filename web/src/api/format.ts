import type { Duration, Timestamp } from "@bufbuild/protobuf/wkt";

/** A Duration as people read it: ms below a second, else seconds. */
export function formatDuration(d: Duration | undefined): string {
  if (!d) return "–";
  const ms = Number(d.seconds) * 1000 + d.nanos / 1e6;
  return ms < 1000 ? `${ms.toFixed(ms < 10 ? 2 : 0)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

export function formatTimestamp(t: Timestamp | undefined): string {
  if (!t) return "–";
  return new Date(Number(t.seconds) * 1000 + t.nanos / 1e6).toLocaleString();
}

export function durationSeconds(d: Duration | undefined): number {
  return d ? Number(d.seconds) + d.nanos / 1e9 : 0;
}

/** Seconds as a Duration's init shape, for the timeout fields. */
export function secondsToDuration(seconds: number): { seconds: bigint; nanos: number } {
  const whole = Math.floor(seconds);
  return { seconds: BigInt(whole), nanos: Math.round((seconds - whole) * 1e9) };
}
