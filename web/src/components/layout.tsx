import { type ReactNode, useState } from "react";
import { useLocation } from "wouter";
import { type Session, sessionStore } from "../session/session-store.js";
import { GuardedLink } from "./guarded-link.js";
import { mayLeave } from "./leave-guard.js";

const pages = [
  { href: "/actions", label: "Actions" },
  { href: "/flows", label: "Flows" },
  { href: "/executions", label: "Executions" },
  { href: "/secrets", label: "Secrets" },
  { href: "/zitadel-targets", label: "ZITADEL targets", instanceAdmin: true },
];

/** Header with the pages, the org the console calls as, and sign-out; the page below. */
export function Layout({ session, children }: { session: Session; children: ReactNode }) {
  const [location] = useLocation();
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="top">
        <strong className="brand">actiond</strong>
        <nav aria-label="Pages">
          <ul>
            {pages.filter((p) => !p.instanceAdmin || session.instanceAdmin).map((p) => (
              <li key={p.href}>
                <GuardedLink href={p.href} aria-current={location.startsWith(p.href) ? "page" : undefined}>
                  {p.label}
                </GuardedLink>
              </li>
            ))}
          </ul>
        </nav>
        <span className="spacer" />
        {session.instanceAdmin && <OrgSwitcher orgId={session.orgId} />}
        <button type="button" onClick={() => mayLeave() && sessionStore.signOut()}>
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}

/** The org sent as x-zitadel-orgid: an instance admin's token may act in any org, others only in their own. */
function OrgSwitcher({ orgId }: { orgId: string }) {
  const [value, setValue] = useState(orgId);
  return (
    <form
      className="org-switcher"
      onSubmit={(event) => {
        event.preventDefault();
        if (mayLeave()) sessionStore.switchOrg(value.trim());
      }}
    >
      <label htmlFor="org-id">Org</label>
      <input id="org-id" value={value} placeholder="token's own" onChange={(e) => setValue(e.target.value)} size={14} />
      <button type="submit">Switch</button>
    </form>
  );
}
