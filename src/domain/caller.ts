/** Who acts and in which org; resolved by authentication before any command, query or run. */
export interface Caller {
  orgId: string;
  /** A token id or an OIDC subject: recorded on every event. */
  subject: string;
}
