import type { PathTemplate, Segment } from "./path-template.js";

export type SplitResult = { segments: string[]; error?: undefined } | { segments?: undefined; error: string };

/**
 * Splits a request path into percent-decoded segments. Decoding per segment
 * (not the whole path first) keeps an escaped "%2F" inside one variable value
 * instead of turning it into a separator.
 */
export function splitRequestPath(path: string): SplitResult {
  if (!path.startsWith("/")) return { error: "path must start with '/'" };
  const segments = path.slice(1).split("/");
  for (let i = 0; i < segments.length; i++) {
    try {
      segments[i] = decodeURIComponent(segments[i]!);
    } catch {
      return { error: `malformed percent-encoding in path segment "${segments[i]}"` };
    }
  }
  return { segments };
}

/**
 * Matches decoded request segments against a template. Returns the values of
 * the template's variables, in the template's order, or undefined.
 */
export function matchPath(template: PathTemplate, request: readonly string[]): string[] | undefined {
  let segments = request;
  if (template.verb !== undefined) {
    const last = segments[segments.length - 1];
    const suffix = ":" + template.verb;
    if (last === undefined || !last.endsWith(suffix)) return undefined;
    segments = [...segments.slice(0, -1), last.slice(0, -suffix.length)];
  }
  const pattern = template.segments;
  const hasRest = pattern[pattern.length - 1]?.kind === "rest";
  if (hasRest ? segments.length < pattern.length - 1 : segments.length !== pattern.length) return undefined;
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    if (p.kind === "rest") break;
    const s = segments[i]!;
    if (p.kind === "literal" ? s !== p.value : s === "") return undefined;
  }
  // "**" swallows the tail, so a variable ending on it extends to the last segment.
  return template.variables.map((v) => {
    const end = hasRest && v.end === pattern.length ? segments.length : v.end;
    return segments.slice(v.start, end).join("/");
  });
}

const rank: Record<Segment["kind"], number> = { literal: 0, any: 1, rest: 2 };

/**
 * Orders templates so that the more specific one is tried first: segment by
 * segment a literal beats `*`, which beats `**`; then a verb beats none; then
 * the longer template wins. Equal templates keep declaration order (stable sort).
 */
export function compareSpecificity(a: PathTemplate, b: PathTemplate): number {
  const n = Math.min(a.segments.length, b.segments.length);
  for (let i = 0; i < n; i++) {
    const d = rank[a.segments[i]!.kind] - rank[b.segments[i]!.kind];
    if (d !== 0) return d;
  }
  if ((a.verb === undefined) !== (b.verb === undefined)) return a.verb === undefined ? 1 : -1;
  return b.segments.length - a.segments.length;
}
