import { create } from "@bufbuild/protobuf";
import { type Duration, DurationSchema } from "@bufbuild/protobuf/wkt";
import { type ActionFields, effectiveTimeoutNs } from "../../domain/action.js";
import type { ActionFilter, ActionSearch } from "../../query/action-queries.js";
import type { ActionView } from "../../query/action-view.js";
import { pageOf } from "../../query/page.js";
import type { TextMatch } from "../../query/text-match.js";
import { type Action, ActionFieldName, ActionSchema, ActionState } from "../../../gen/zitadel/action/v1/action_pb.js";
import type { ActionQuery, ListActionsRequest } from "../../../gen/zitadel/management/v1/management_pb.js";
import { TextQueryMethod } from "../../../gen/zitadel/v1/object_pb.js";
import { readDetailsToPb } from "./object-details.js";

const nsPerSecond = 1_000_000_000;

export function durationToNs(d: Duration | undefined): number {
  return d ? Number(d.seconds) * nsPerSecond + d.nanos : 0;
}

export function nsToDuration(ns: number): Duration {
  return create(DurationSchema, { seconds: BigInt(Math.floor(ns / nsPerSecond)), nanos: ns % nsPerSecond });
}

/** Create and Update carry the same four fields; Update is a full replace. */
export function actionFieldsFromPb(req: {
  name: string;
  script: string;
  timeout?: Duration;
  allowedToFail: boolean;
}): ActionFields {
  return { name: req.name, script: req.script, timeoutNs: durationToNs(req.timeout), allowedToFail: req.allowedToFail };
}

export function actionToPb(action: ActionView): Action {
  return create(ActionSchema, {
    id: action.id,
    details: readDetailsToPb(action),
    state: action.state === "active" ? ActionState.ACTIVE : ActionState.INACTIVE,
    name: action.name,
    script: action.script,
    timeout: nsToDuration(effectiveTimeoutNs(action.timeoutNs)),
    allowedToFail: action.allowedToFail,
  });
}

const textMatches: Record<TextQueryMethod, TextMatch> = {
  [TextQueryMethod.EQUALS]: "equals",
  [TextQueryMethod.EQUALS_IGNORE_CASE]: "equalsIgnoreCase",
  [TextQueryMethod.STARTS_WITH]: "startsWith",
  [TextQueryMethod.STARTS_WITH_IGNORE_CASE]: "startsWithIgnoreCase",
  [TextQueryMethod.CONTAINS]: "contains",
  [TextQueryMethod.CONTAINS_IGNORE_CASE]: "containsIgnoreCase",
  [TextQueryMethod.ENDS_WITH]: "endsWith",
  [TextQueryMethod.ENDS_WITH_IGNORE_CASE]: "endsWithIgnoreCase",
};

const sortColumns: Record<ActionFieldName, ActionSearch["sortBy"]> = {
  [ActionFieldName.UNSPECIFIED]: "creation",
  [ActionFieldName.NAME]: "name",
  [ActionFieldName.ID]: "id",
  [ActionFieldName.STATE]: "state",
};

function actionQueryToFilter(q: ActionQuery): ActionFilter[] {
  switch (q.query.case) {
    case "actionIdQuery":
      return [{ kind: "id", id: q.query.value.id }];
    case "actionNameQuery":
      return [{ kind: "name", name: q.query.value.name, match: textMatches[q.query.value.method] }];
    case "actionStateQuery": {
      const state = q.query.value.state;
      return [
        {
          kind: "state",
          state: state === ActionState.ACTIVE ? "active" : state === ActionState.INACTIVE ? "inactive" : "unspecified",
        },
      ];
    }
    case undefined:
      // Validation rejects an empty query before the handler runs.
      return [];
  }
}

export function listActionsToSearch(req: ListActionsRequest): ActionSearch {
  return {
    ...pageOf(req.query?.offset ?? 0n, req.query?.limit ?? 0),
    asc: req.query?.asc ?? false,
    sortBy: sortColumns[req.sortingColumn],
    filters: req.queries.flatMap(actionQueryToFilter),
  };
}
