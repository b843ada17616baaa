import { create } from "@bufbuild/protobuf";
import { type CatalogueEntry, findFlowType, unspecifiedFlowType } from "../../domain/flow.js";
import type { FlowView } from "../../query/flow-queries.js";
import {
  type Flow,
  FlowSchema,
  FlowState,
  type FlowType,
  FlowTypeSchema,
  type TriggerType,
  TriggerTypeSchema,
} from "../../../gen/zitadel/action/v1/action_pb.js";
import { ObjectDetailsSchema } from "../../../gen/zitadel/v1/object_pb.js";
import { actionToPb } from "./action-convert.js";
import { readDetailsToPb } from "./object-details.js";

function localized(prefix: string, entry: CatalogueEntry) {
  return { key: `${prefix}.${entry.key}`, localizedMessage: entry.text };
}

export function flowTypeToPb(entry: CatalogueEntry): FlowType {
  return create(FlowTypeSchema, { id: entry.id, name: localized("Action.Flow.Type", entry) });
}

export function triggerTypeToPb(entry: CatalogueEntry): TriggerType {
  return create(TriggerTypeSchema, { id: entry.id, name: localized("Action.TriggerType", entry) });
}

/** An unknown flow type reads as the empty "Unspecified" flow (id "0"), never NotFound. */
export function flowToPb(requestedType: string, view: FlowView, triggerEntry: (id: string) => CatalogueEntry): Flow {
  const type = findFlowType(requestedType) ?? unspecifiedFlowType;
  return create(FlowSchema, {
    type: flowTypeToPb(type),
    details: view.details ? readDetailsToPb(view.details) : create(ObjectDetailsSchema),
    // Always ACTIVE, as in ZITADEL.
    state: FlowState.ACTIVE,
    triggerActions: view.triggers.map((t) => ({
      triggerType: triggerTypeToPb(triggerEntry(t.triggerType)),
      actions: t.actions.map(actionToPb),
    })),
  });
}
