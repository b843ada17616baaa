import type { RunLimits } from "./types.js";

const KiB = 1024;
const MiB = 1024 * KiB;

/**
 * 256 KiB of stack is safe even on a main thread, where a larger QuickJS
 * stack overflows V8's own first (see docs/sandbox.md, Stack).
 */
export const defaultLimits: Readonly<RunLimits> = {
  memoryBytes: 16 * MiB,
  stackBytes: 256 * KiB,
  maxLogEntries: 100,
  maxLogBytes: 64 * KiB,
  maxResultBytes: 1 * MiB,
};

/**
 * How deep a value may nest when it crosses the sandbox's edge, in either
 * direction. Protobuf decoders stop at 100 nested messages, and each JSON
 * level inside a google.protobuf.Struct costs two (Struct or ListValue, then
 * Value), or three where the map entry counts too (Java). A claim sits five
 * messages deep in an answer, so 30 levels leave a margin on every decoder
 * (docs/sandbox.md, Crossing the boundary).
 */
export const maxValueDepth = 30;

const bounds: Record<keyof RunLimits, [number, number]> = {
  memoryBytes: [1 * MiB, 1024 * MiB],
  stackBytes: [64 * KiB, 8 * MiB],
  maxLogEntries: [0, 10_000],
  maxLogBytes: [0, 16 * MiB],
  maxResultBytes: [1 * KiB, 64 * MiB],
};

/** Fills in defaults and clamps each limit into a sane range; the heap limit never exceeds the module cap. */
export function resolveLimits(limits: Partial<RunLimits> | undefined, memoryCapBytes: number): RunLimits {
  const resolved = { ...defaultLimits };
  for (const key of Object.keys(bounds) as (keyof RunLimits)[]) {
    const value = limits?.[key];
    if (typeof value !== "number" || !Number.isFinite(value)) continue;
    const [min, max] = bounds[key];
    resolved[key] = Math.min(max, Math.max(min, Math.floor(value)));
  }
  resolved.memoryBytes = Math.min(resolved.memoryBytes, memoryCapBytes);
  return resolved;
}
