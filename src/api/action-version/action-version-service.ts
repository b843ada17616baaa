import crypto from "node:crypto";
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { ServiceImpl } from "@connectrpc/connect";
import type { CommandDeps } from "../../command/command-context.js";
import { rollbackAction } from "../../command/action-commands.js";
import type { ActionVersion } from "../../event/action-versions.js";
import { getActionVersion, listActionVersions } from "../../query/action-versions.js";
import type { SqlDatabase } from "../../store/sql.js";
import {
  type ActionVersion as ActionVersionPb,
  ActionVersionSchema,
  type ActionVersionService,
} from "../../../gen/actiond/v1/action_version_pb.js";
import { callerOf } from "../caller-key.js";
import { nsToDuration } from "../management/action-convert.js";

export interface ActionVersionServiceDeps {
  commands: CommandDeps;
  db: SqlDatabase;
}

/** A version as answered; the script itself only when asked for one version, as a list of them could be large. */
function versionToPb(v: ActionVersion, withScript: boolean): ActionVersionPb {
  const script = Buffer.from(v.script, "utf8");
  return create(ActionVersionSchema, {
    version: v.version,
    creationDate: timestampFromDate(v.createdAt),
    creator: v.creator,
    name: v.name,
    timeout: nsToDuration(v.timeoutNs),
    allowedToFail: v.allowedToFail,
    scriptLength: script.length,
    scriptSha256: crypto.createHash("sha256").update(script).digest("hex"),
    script: withScript ? v.script : "",
  });
}

/** actiond.v1.ActionVersionService, on the caller's org: versions read from the event log, a rollback written as an update. */
export function createActionVersionService({ commands, db }: ActionVersionServiceDeps): ServiceImpl<typeof ActionVersionService> {
  return {
    async listActionVersions(req, ctx) {
      return { versions: (await listActionVersions(db, callerOf(ctx).orgId, req.actionId)).map((v) => versionToPb(v, false)) };
    },
    async getActionVersion(req, ctx) {
      return { version: versionToPb(await getActionVersion(db, callerOf(ctx).orgId, req.actionId, req.version), true) };
    },
    async rollbackAction(req, ctx) {
      const caller = callerOf(ctx);
      const { version } = await rollbackAction(commands, caller, req.actionId, req.version);
      return { version: versionToPb(await getActionVersion(db, caller.orgId, req.actionId, version), false) };
    },
  };
}
