import type { MetadataChange } from "./mutations.js";
import { parseJson } from "./safe-json.js";
import type { MetadataContext, UserGrantContext } from "./trigger-context.js";
import type { JsonObject, JsonValue } from "./types.js";

/**
 * A metadata result as `getMetadata()` returns it: `{count, sequence,
 * timestamp, metadata[]}`, each value parsed as JSON when it is valid JSON and
 * kept as a string otherwise. `changes` (JSON-encoded, from `setMetadata` of
 * this or earlier actions) replace entries of the same key or are appended.
 */
export function metadataResult(entries: readonly MetadataContext[] | undefined, changes: readonly MetadataChange[] = []): JsonObject {
  const metadata: JsonObject[] = (entries ?? []).map((entry) => ({
    creationDate: entry.creationDate ?? "",
    changeDate: entry.changeDate ?? "",
    resourceOwner: entry.resourceOwner ?? "",
    sequence: entry.sequence ?? 0,
    key: entry.key,
    value: typeof entry.value === "string" ? decodeMetadataValue(entry.value) : entry.value,
  }));
  for (const change of changes) {
    const value = decodeMetadataValue(change.value);
    const existing = metadata.find((m) => m.key === change.key);
    if (existing) existing.value = value;
    else metadata.push({ creationDate: "", changeDate: "", resourceOwner: "", sequence: 0, key: change.key, value });
  }
  return {
    count: metadata.length,
    sequence: highest(metadata.map((m) => m.sequence as number)),
    timestamp: metadata.map((m) => m.changeDate as string).sort().at(-1) ?? "",
    metadata,
  };
}

/** As ZITADEL's metadataByteArrayToValue: JSON if it parses, the raw text otherwise. */
export function decodeMetadataValue(raw: string): JsonValue {
  try {
    return parseJson(raw);
  } catch {
    return raw;
  }
}

/** `ctx.v1.user.grants`: `{count, sequence, timestamp, grants[]}`; `getOrgMetadata()` is attached per grant. */
export function userGrantsView(grants: readonly UserGrantContext[] | undefined): JsonObject {
  const list: JsonObject[] = (grants ?? []).map((grant) => ({
    id: grant.id ?? "",
    projectGrantId: grant.projectGrantId ?? "",
    state: grant.state ?? 0,
    userGrantResourceOwner: grant.userGrantResourceOwner ?? "",
    userGrantResourceOwnerName: grant.userGrantResourceOwnerName ?? "",
    creationDate: grant.creationDate ?? "",
    changeDate: grant.changeDate ?? "",
    sequence: grant.sequence ?? 0,
    userId: grant.userId ?? "",
    userResourceOwner: grant.userResourceOwner ?? "",
    roles: [...(grant.roles ?? [])],
    projectId: grant.projectId ?? "",
    projectName: grant.projectName ?? "",
  }));
  return {
    count: list.length,
    sequence: highest(list.map((g) => g.sequence as number)),
    timestamp: list.map((g) => g.changeDate as string).sort().at(-1) ?? "",
    grants: list,
  };
}

function highest(values: number[]): number {
  return values.reduce((max, value) => Math.max(max, value), 0);
}
