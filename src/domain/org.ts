/**
 * An org id chosen when the org is made: ZITADEL's own ids are 18-digit
 * decimals, and an actiond org that stands for a ZITADEL org takes that id
 * (docs/zitadel-v2-target.md, Org routing). Letters, digits, `_` and `-` allow
 * other schemes without allowing anything a URL or a header would mangle.
 */
export function isValidOrgId(id: string): boolean {
  return /^[A-Za-z0-9_-]{1,200}$/.test(id);
}
