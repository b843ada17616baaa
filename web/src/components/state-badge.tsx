import { ActionState } from "../../../gen/zitadel/action/v1/action_pb.js";

/** An action's state in words, not colour alone. */
export function StateBadge({ state }: { state: ActionState }) {
  const active = state === ActionState.ACTIVE;
  return <span className={`badge ${active ? "active" : "inactive"}`}>{active ? "active" : "inactive"}</span>;
}
