import { hasOwn, isRecord, parseJson } from "./safe-json.js";
import type { JsonValue } from "./json.js";

/** Claims with this prefix belong to ZITADEL; `setClaim` ignores them. */
export const reservedClaimPrefix = "urn:zitadel:iam";

/** Final values of the user fields the setters changed (flows 1 and 3). */
export interface UserChanges {
  firstName?: string;
  lastName?: string;
  nickName?: string;
  displayName?: string;
  preferredLanguage?: string;
  preferredUsername?: string;
  username?: string;
  /** 0 unspecified, 1 female, 2 male, 3 diverse */
  gender?: number;
  email?: string;
  emailVerified?: boolean;
  phone?: string;
  phoneVerified?: boolean;
}

export interface MetadataChange {
  key: string;
  /** The value, JSON-encoded, as ZITADEL stores it. */
  value: string;
}

export interface UserGrantChange {
  projectId: string;
  projectGrantId: string;
  roles: string[];
}

export interface CustomAttribute {
  name: string;
  nameFormat: string;
  values: string[];
}

/** Entries an action logged into its claim `urn:zitadel:iam:action:<action>:log`. */
export interface ClaimLog {
  action: string;
  entries: string[];
}

/**
 * Everything the actions of one flow invocation changed, accumulated in order.
 * `metadata` is the complete list (flows 1 and 3 expose it as the mutable
 * `api.metadata`); the other lists only grow.
 */
export interface Mutations {
  /** Claims added by `setClaim`, in order; never a reserved or `__proto__` key. */
  claims: Record<string, JsonValue>;
  claimLogs: ClaimLog[];
  user: UserChanges;
  metadata: MetadataChange[];
  userGrants: UserGrantChange[];
  /** SAML attributes of `setCustomAttribute`; the first set of a name wins. */
  customAttributes: CustomAttribute[];
}

/**
 * Mutations as they cross between threads and from one run to the next:
 * each claim's value as the JSON text the guest produced. A crossing then
 * copies strings instead of object graphs, and a run parses the claims of
 * earlier runs only when its script reads them (docs/sandbox.md, Results).
 */
export interface PackedMutations extends Omit<Mutations, "claims"> {
  claims: Record<string, string>;
}

/** No changes yet; with no claim to encode, packed and unpacked are the same. */
export function emptyMutations(): Mutations & PackedMutations {
  return { claims: {}, claimLogs: [], user: {}, metadata: [], userGrants: [], customAttributes: [] };
}

export function packMutations(mutations: Mutations): PackedMutations {
  const claims: Record<string, string> = {};
  for (const key of Object.keys(mutations.claims)) claims[key] = JSON.stringify(mutations.claims[key] ?? null);
  return { ...mutations, claims };
}

/** Parses the claims once, when a flow is done; `"__proto__"` keys are dropped as `parseJson` does. */
export function unpackMutations(packed: PackedMutations): Mutations {
  const claims: Record<string, JsonValue> = {};
  for (const key of Object.keys(packed.claims)) {
    if (key !== "__proto__") claims[key] = parseJson(packed.claims[key] ?? "null");
  }
  return { ...packed, claims };
}

export function claimLogKey(actionName: string): string {
  return `${reservedClaimPrefix}:action:${actionName}:log`;
}

/** The claims to put into the token: the claims set plus each action's log claim. */
export function tokenClaims(mutations: Mutations): Record<string, JsonValue> {
  const claims: Record<string, JsonValue> = {};
  for (const key of Object.keys(mutations.claims)) {
    if (key !== "__proto__") claims[key] = mutations.claims[key] ?? null;
  }
  for (const log of mutations.claimLogs) claims[claimLogKey(log.action)] = [...log.entries];
  return claims;
}

const userFields: Record<keyof UserChanges, "string" | "boolean" | "number"> = {
  firstName: "string",
  lastName: "string",
  nickName: "string",
  displayName: "string",
  preferredLanguage: "string",
  preferredUsername: "string",
  username: "string",
  gender: "number",
  email: "string",
  emailVerified: "boolean",
  phone: "string",
  phoneVerified: "boolean",
};

/**
 * A validated copy of mutations handed in by a caller; missing lists count as
 * empty. Claim texts are checked to be strings, not parsed: the runtime wrote
 * them. Throws a TypeError naming the offending field.
 */
export function normalizeMutations(input: unknown): PackedMutations {
  const source = isRecord(input) ? input : {};
  const result: PackedMutations = emptyMutations();
  result.claims = claimTexts(source.claims ?? {});
  result.claimLogs = list(source.claimLogs, "mutations.claimLogs", (item, path) => ({
    action: text(item.action, `${path}.action`),
    entries: texts(item.entries, `${path}.entries`),
  }));
  result.user = userChanges(source.user ?? {});
  result.metadata = list(source.metadata, "mutations.metadata", (item, path) => ({
    key: text(item.key, `${path}.key`),
    value: text(item.value, `${path}.value`),
  }));
  result.userGrants = list(source.userGrants, "mutations.userGrants", (item, path) => ({
    projectId: text(item.projectId, `${path}.projectId`),
    projectGrantId: text(item.projectGrantId ?? "", `${path}.projectGrantId`),
    roles: texts(item.roles ?? [], `${path}.roles`),
  }));
  result.customAttributes = list(source.customAttributes, "mutations.customAttributes", (item, path) => ({
    name: text(item.name, `${path}.name`),
    nameFormat: text(item.nameFormat ?? "", `${path}.nameFormat`),
    values: texts(item.values ?? [], `${path}.values`),
  }));
  return result;
}

function claimTexts(value: unknown): Record<string, string> {
  if (!isRecord(value)) throw new TypeError("mutations.claims: must be an object");
  const claims: Record<string, string> = {};
  for (const key of Object.keys(value)) {
    if (key !== "__proto__") claims[key] = text(value[key], `mutations.claims.${key}`);
  }
  return claims;
}

function userChanges(value: unknown): UserChanges {
  if (!isRecord(value)) throw new TypeError("mutations.user: must be an object");
  const changes: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (!hasOwn(userFields, key)) throw new TypeError(`mutations.user.${key}: unknown user field`);
    const expected = userFields[key as keyof UserChanges];
    if (typeof value[key] !== expected) throw new TypeError(`mutations.user.${key}: must be a ${expected}`);
    changes[key] = value[key];
  }
  return changes as UserChanges;
}

function list<T>(value: unknown, path: string, item: (entry: Record<string, unknown>, path: string) => T): T[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new TypeError(`${path}: must be an array`);
  return value.map((entry, i) => {
    if (!isRecord(entry)) throw new TypeError(`${path}[${i}]: must be an object`);
    return item(entry, `${path}[${i}]`);
  });
}

function text(value: unknown, path: string): string {
  if (typeof value !== "string") throw new TypeError(`${path}: must be a string`);
  return value;
}

function texts(value: unknown, path: string): string[] {
  if (!Array.isArray(value)) throw new TypeError(`${path}: must be an array of strings`);
  return value.map((entry, i) => text(entry, `${path}[${i}]`));
}
