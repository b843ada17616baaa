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
    async listActions(req, ctx) {
      const { total, actions } = await searchActions(db, callerOf(ctx).orgId, listActionsToSearch(req));
      return { details: { totalResult: BigInt(total) }, result: actions.map(actionToPb) };
    },
    async getAction(req, ctx) {
      return { action: actionToPb(await getActionById(db, callerOf(ctx).orgId, req.id)) };
    },
    async createAction(req, ctx) {
      const { id, ...details } = await addAction(commands, callerOf(ctx), actionFieldsFromPb(req));
      return { id, details: writeDetailsToPb(details) };
    },
    async updateAction(req, ctx) {
      return { details: writeDetailsToPb(await changeAction(commands, callerOf(ctx), req.id, actionFieldsFromPb(req))) };
    },
    async deactivateAction(req, ctx) {
      return { details: writeDetailsToPb(await deactivateAction(commands, callerOf(ctx), req.id)) };
    },
    async reactivateAction(req, ctx) {
      return { details: writeDetailsToPb(await reactivateAction(commands, callerOf(ctx), req.id)) };
    },
    async deleteAction(req, ctx) {
      await removeAction(commands, callerOf(ctx), req.id);
      return {};
    },
  };
}
