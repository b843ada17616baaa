import { DomainError } from "../domain/errors.js";

/** The header that names the org a call acts in (ZITADEL's `x-zitadel-orgid`). */
export const orgHeader = "x-zitadel-orgid";

/**
 * Org ids are ZITADEL's Sonyflake decimals, or ids chosen when the org was
 * made (ZITADEL allows up to 200 characters). Whitespace inside, control
 * characters or anything beyond visible ASCII cannot name an org.
 */
export const plausibleOrgId = /^[\x21-\x7e]{1,200}$/;

export type OrgHeader = { orgId: string | null; error?: undefined } | { orgId?: undefined; error: DomainError };

/**
 * The one reading of the org header for every transport: trimmed as HTTP/1.1
 * trims every field (RFC 9110 §5.5), absent or empty means the caller's own
 * org, and anything else that is not a plausible org id is InvalidArgument,
 * never ignored (docs/transport.md, The org header). Several values arrive
 * joined by ", " and are refused.
 */
export function parseOrgHeader(value: string | null | undefined): OrgHeader {
  const trimmed = value?.trim() ?? "";
  if (trimmed === "") return { orgId: null };
  if (plausibleOrgId.test(trimmed)) return { orgId: trimmed };
  return { error: new DomainError("InvalidArgument", "AUTH-org-header", `${orgHeader} is not an organisation id`) };
}
