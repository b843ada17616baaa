import type { Binding } from "./http-rule.js";
import { compareSpecificity, matchPath, splitRequestPath } from "./path-matcher.js";

export interface Route<T> {
  binding: Binding;
  /** Whatever the caller needs to serve the route (the implementation, its interceptors). */
  target: T;
}

export type Lookup<T> =
  | { kind: "match"; route: Route<T>; values: string[] }
  | { kind: "not-found" }
  | { kind: "method-not-allowed" }
  | { kind: "bad-path"; error: string };

/**
 * Routes by HTTP method first, then by the most specific template, so that
 * `POST /actions/_search` is never read as `/actions/{id}`. A path that only
 * another method serves is 405 rather than 404, as ZITADEL answers.
 */
export function createRouteTable<T>(routes: Route<T>[]): (httpMethod: string, path: string) => Lookup<T> {
  const byMethod = new Map<string, Route<T>[]>();
  for (const route of routes) {
    const list = byMethod.get(route.binding.httpMethod) ?? [];
    list.push(route);
    byMethod.set(route.binding.httpMethod, list);
  }
  for (const list of byMethod.values()) list.sort((a, b) => compareSpecificity(a.binding.template, b.binding.template));

  return (httpMethod, path) => {
    const split = splitRequestPath(path);
    if (split.error !== undefined) return { kind: "bad-path", error: split.error };
    for (const route of byMethod.get(httpMethod) ?? []) {
      const values = matchPath(route.binding.template, split.segments);
      if (values) return { kind: "match", route, values };
    }
    for (const [method, list] of byMethod) {
      if (method === httpMethod) continue;
      if (list.some((r) => matchPath(r.binding.template, split.segments))) return { kind: "method-not-allowed" };
    }
    return { kind: "not-found" };
  };
}
