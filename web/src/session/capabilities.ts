import { Code, ConnectError } from "@connectrpc/connect";
import type { Api } from "../api/clients.js";

/**
 * Whether the token may write actions and flows. The API has no call that
 * lists a caller's permissions, so the console asks for a write the server
 * refuses either way: the auth check runs before validation, so an empty
 * TestAction is PermissionDenied without `org.action.write` and
 * InvalidArgument with it, and nothing runs or is stored.
 */
export async function probeCanWrite(api: Api): Promise<boolean> {
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
