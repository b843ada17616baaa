import type { ServiceImpl } from "@connectrpc/connect";
import {
  addAction,
  changeAction,
  deactivateAction,
  reactivateAction,
  removeAction,
} from "../../command/action-commands.js";
import { getActionById, searchActions } from "../../query/action-queries.js";
import type { ManagementService } from "../../../gen/zitadel/management/v1/management_pb.js";
import { callerOf } from "../caller-key.js";
import { actionFieldsFromPb, actionToPb, listActionsToSearch } from "./action-convert.js";
import type { ManagementDeps } from "./management-deps.js";
import { writeDetailsToPb } from "./object-details.js";

type ActionRpcs =
  | "listActions"
  | "getAction"
  | "createAction"
  | "updateAction"
  | "deactivateAction"
  | "reactivateAction"
  | "deleteAction";

/** The action RPCs: each converts, calls a command or query, converts back. */
export function createActionRpcs({ commands, db }: ManagementDeps): Pick<ServiceImpl<typeof ManagementService>, ActionRpcs> {
  return {
    listActions(req, ctx) {
      const { total, actions } = searchActions(db, callerOf(ctx).orgId, listActionsToSearch(req));
      return { details: { totalResult: BigInt(total) }, result: actions.map(actionToPb) };
    },
    getAction(req, ctx) {
      return { action: actionToPb(getActionById(db, callerOf(ctx).orgId, req.id)) };
    },
    createAction(req, ctx) {
      const { id, ...details } = addAction(commands, callerOf(ctx), actionFieldsFromPb(req));
      return { id, details: writeDetailsToPb(details) };
    },
    updateAction(req, ctx) {
      return { details: writeDetailsToPb(changeAction(commands, callerOf(ctx), req.id, actionFieldsFromPb(req))) };
    },
    deactivateAction(req, ctx) {
      return { details: writeDetailsToPb(deactivateAction(commands, callerOf(ctx), req.id)) };
    },
    reactivateAction(req, ctx) {
      return { details: writeDetailsToPb(reactivateAction(commands, callerOf(ctx), req.id)) };
    },
    deleteAction(req, ctx) {
      removeAction(commands, callerOf(ctx), req.id);
      return {};
    },
  };
}
