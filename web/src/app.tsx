import { lazy, Suspense } from "react";
import { Redirect, Route, Router, Switch } from "wouter";
import { Layout } from "./components/layout.js";
import { ActionsPage } from "./pages/actions-page.js";
import { ExecutionPage } from "./pages/execution-page.js";
import { ExecutionsPage } from "./pages/executions-page.js";
import { FlowsPage } from "./pages/flows-page.js";
import { OidcCallbackPage } from "./pages/oidc-callback-page.js";
import { SecretsPage } from "./pages/secrets-page.js";
import { SignInPage } from "./pages/sign-in-page.js";
import { ZitadelTargetsPage } from "./pages/zitadel-targets-page.js";
import { useSession } from "./session/use-session.js";

/** The editor brings CodeMirror: loaded when first opened, so the first page stays light. */
const ActionEditorPage = lazy(() => import("./pages/action-editor-page.js"));

/** Every page has its own URL under /console/; signed out, any of them shows sign-in and then itself. */
export function App() {
  const session = useSession();
  return (
    <Router base="/console">
      {session ? (
        <Layout session={session}>
          <Suspense key={session.orgId} fallback={<p role="status">Loading…</p>}>
            <Switch>
              <Route path="/actions" component={ActionsPage} />
              <Route path="/actions/new">{() => <ActionEditorPage id={undefined} />}</Route>
              <Route path="/actions/:id">{(params) => <ActionEditorPage key={params.id} id={params.id} />}</Route>
              <Route path="/flows" component={FlowsPage} />
              <Route path="/executions" component={ExecutionsPage} />
              <Route path="/executions/:id">{(params) => <ExecutionPage id={params.id} />}</Route>
              <Route path="/secrets" component={SecretsPage} />
              <Route path="/zitadel-targets" component={ZitadelTargetsPage} />
              <Route>
                <Redirect to="/actions" replace />
              </Route>
            </Switch>
          </Suspense>
        </Layout>
      ) : (
        <Switch>
          <Route path="/oidc-callback" component={OidcCallbackPage} />
          <Route component={SignInPage} />
        </Switch>
      )}
    </Router>
  );
}
