/**
 * The signed-in session: the token and the org the console calls as, kept in
 * sessionStorage only, so it dies with the tab and never lands on disk for
 * other tabs or later visits. `notice` says why the user was signed out.
 */
export interface Session {
  token: string;
  /** The org sent as x-zitadel-orgid; empty: the token's own. */
  orgId: string;
  /** Whether the token may write actions and flows (session/capabilities.ts). */
  canWrite: boolean;
  /** Whether the token may manage ZITADEL targets and act in any org (session/capabilities.ts). */
  instanceAdmin: boolean;
}

const key = "actiond.session";
const listeners = new Set<() => void>();
let notice = "";
let current = read();

function read(): Session | undefined {
  try {
    const raw = sessionStorage.getItem(key);
    return raw ? (JSON.parse(raw) as Session) : undefined;
  } catch {
    return undefined;
  }
}

function emit(): void {
  for (const listener of listeners) listener();
}

export const sessionStore = {
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  get(): Session | undefined {
    return current;
  },
  /** Why the last session ended, for the sign-in page; empty after a plain sign-out. */
  notice(): string {
    return notice;
  },
  signIn(session: Session): void {
    sessionStorage.setItem(key, JSON.stringify(session));
    current = session;
    notice = "";
    emit();
  },
  /** Forgets the token; `reason` is shown on the sign-in page. */
  signOut(reason = ""): void {
    sessionStorage.removeItem(key);
    current = undefined;
    notice = reason;
    emit();
  },
  switchOrg(orgId: string): void {
    if (current) this.signIn({ ...current, orgId });
  },
};
