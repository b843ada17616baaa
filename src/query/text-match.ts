/** How a text query compares, as ZITADEL's TextQueryMethod. */
export type TextMatch =
  | "equals"
  | "equalsIgnoreCase"
  | "startsWith"
  | "startsWithIgnoreCase"
  | "contains"
  | "containsIgnoreCase"
  | "endsWith"
  | "endsWithIgnoreCase";

/**
 * A SQL condition on `column` for the match, with `?` for the value (bound
 * once per `?`). It compares with instr/substr rather than LIKE, so `%` and
 * `_` in the value are plain characters and need no escaping.
 */
export function textCondition(column: string, match: TextMatch, value: string): { sql: string; params: string[] } {
  const ignoreCase = match.endsWith("IgnoreCase");
  const col = ignoreCase ? `fold(${column})` : column;
  const v = ignoreCase ? value.toLowerCase() : value;
  switch (match) {
    case "equals":
    case "equalsIgnoreCase":
      return { sql: `${col} = ?`, params: [v] };
    case "startsWith":
    case "startsWithIgnoreCase":
      return { sql: `substr(${col}, 1, length(?)) = ?`, params: [v, v] };
    case "contains":
    case "containsIgnoreCase":
      return { sql: `instr(${col}, ?) > 0`, params: [v] };
    case "endsWith":
    case "endsWithIgnoreCase":
      return { sql: `substr(${col}, length(${col}) - length(?) + 1) = ?`, params: [v, v] };
  }
}
