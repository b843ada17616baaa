import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { WriteDetails } from "../../command/command-context.js";
import { type ObjectDetails, ObjectDetailsSchema } from "../../../gen/zitadel/v1/object_pb.js";

/** Details of a manipulation: the written event's sequence and time as both dates. */
export function writeDetailsToPb(details: WriteDetails): ObjectDetails {
  const at = timestampFromDate(details.eventDate);
  return create(ObjectDetailsSchema, {
    sequence: BigInt(details.sequence),
    creationDate: at,
    changeDate: at,
    resourceOwner: details.resourceOwner,
  });
}

/** Details of a read: last event's sequence, first and last event times. */
export function readDetailsToPb(details: {
  sequence: number;
  creationDate: Date;
  changeDate: Date;
  resourceOwner: string;
}): ObjectDetails {
  return create(ObjectDetailsSchema, {
    sequence: BigInt(details.sequence),
    creationDate: timestampFromDate(details.creationDate),
    changeDate: timestampFromDate(details.changeDate),
    resourceOwner: details.resourceOwner,
  });
}
