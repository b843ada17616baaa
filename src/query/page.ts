import { DomainError } from "../domain/errors.js";

/** ZITADEL's SystemDefaults.DefaultQueryLimit: the page size of a list that asks for none (limit 0). */
export const defaultPageSize = 100;
/** ZITADEL's SystemDefaults.MaxQueryLimit: a larger limit is refused, not capped. */
export const maxPageSize = 1000;

/** One page of a list, in numbers SQLite's signed 64-bit LIMIT and OFFSET take. */
export interface Page {
  offset: number;
  limit: number;
}

/** ZITADEL's id and English text (Errors.Query.LimitExceeded). */
export const limitExceeded = () => new DomainError("InvalidArgument", "QUERY-4M0fs", "Limit exceeded");

/**
 * The page a list request asks for, as ZITADEL's SystemDefaults.QueryLimit
 * decides it: limit 0 is the default page, a limit above the maximum is
 * InvalidArgument. An offset beyond what a safe integer holds reads as the
 * largest safe one: no table has that many rows, so the page is empty either
 * way, and a larger number would not bind to SQLite's signed 64-bit OFFSET.
 */
export function pageOf(offset: bigint, limit: number): Page {
  if (limit > maxPageSize) throw limitExceeded();
  const safeOffset = offset > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(offset);
  return { offset: safeOffset, limit: limit === 0 ? defaultPageSize : limit };
}
