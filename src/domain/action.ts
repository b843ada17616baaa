/** Limits and defaults of an action, as ZITADEL documents them. */
export const maxActionTimeoutNs = 20_000_000_000;

export type ActionState = "active" | "inactive" | "removed";

export interface ActionFields {
  name: string;
  script: string;
  /** As stored; 0 means "the maximum" (see effectiveTimeoutNs). */
  timeoutNs: number;
  allowedToFail: boolean;
}

/**
 * ZITADEL stores the timeout as given but reads and runs it as `t` when
 * 0 < t < 20s, otherwise 20s.
 */
export function effectiveTimeoutNs(timeoutNs: number): number {
  return timeoutNs > 0 && timeoutNs < maxActionTimeoutNs ? timeoutNs : maxActionTimeoutNs;
}

/** Names are unique per org, case-insensitively. */
export function actionNameKey(orgId: string, name: string): string {
  return `${name.toLowerCase()}:${orgId}`;
}
