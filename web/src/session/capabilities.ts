import { Code, ConnectError } from "@connectrpc/connect";
import type { Api } from "../api/clients.js";

/**
 * Whether the token may write actions and flows. The API has no call that
 * lists a caller's permissions, so the console asks for a write the server
 * refuses either way: the auth check runs before validation, so an empty
 * TestAction is PermissionDenied without `org.action.write` and
 * InvalidArgument with it, and nothing runs or is stored.
 */
async function probeCanWrite(api: Api): Promise<boolean> {
  try {
    await api.execution.testAction({});
    return true;
  } catch (err) {
    const code = ConnectError.from(err).code;
    if (code === Code.InvalidArgument) return true;
    if (code === Code.PermissionDenied) return false;
    throw err;
  }
}

/**
 * Whether the token is an instance admin's: only they may read ZITADEL
 * targets (action.target.read), and only they may act in other orgs.
 */
async function probeInstanceAdmin(api: Api): Promise<boolean> {
  try {
    await api.zitadelTargets.listZitadelTargets({ limit: 1 });
    return true;
  } catch (err) {
    if (ConnectError.from(err).code === Code.PermissionDenied) return false;
    throw err;
  }
}

export interface Capabilities {
  canWrite: boolean;
  instanceAdmin: boolean;
}

/** What the console offers the token: write buttons, the targets page and the org switcher. */
export async function probeCapabilities(api: Api): Promise<Capabilities> {
  const [canWrite, instanceAdmin] = await Promise.all([probeCanWrite(api), probeInstanceAdmin(api)]);
  return { canWrite, instanceAdmin };
}
