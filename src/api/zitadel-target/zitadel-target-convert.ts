import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import {
  type FailurePolicy,
  type PayloadType,
  type ZitadelTarget,
  type ZitadelTargetFields,
  zitadelTargetEndpointPath,
} from "../../domain/zitadel-target.js";
import {
  type CreateZitadelTargetRequest,
  FailurePolicy as FailurePolicyPb,
  PayloadType as PayloadTypePb,
  SigningKeySchema,
  type UpdateZitadelTargetRequest,
  type ZitadelTarget as ZitadelTargetPb,
  ZitadelTargetSchema,
} from "../../../gen/actiond/v1/zitadel_target_pb.js";

/** UNSPECIFIED reads as ZITADEL's default, JSON. */
const payloadTypes: Record<PayloadTypePb, PayloadType> = {
  [PayloadTypePb.UNSPECIFIED]: "json",
  [PayloadTypePb.JSON]: "json",
  [PayloadTypePb.JWT]: "jwt",
  [PayloadTypePb.JWE]: "jwe",
};

const payloadTypesPb: Record<PayloadType, PayloadTypePb> = {
  json: PayloadTypePb.JSON,
  jwt: PayloadTypePb.JWT,
  jwe: PayloadTypePb.JWE,
};

/** UNSPECIFIED reads as the default, a forwarded 403. */
const failurePolicies: Record<FailurePolicyPb, FailurePolicy> = {
  [FailurePolicyPb.UNSPECIFIED]: "forward-403",
  [FailurePolicyPb.FORWARD_403]: "forward-403",
  [FailurePolicyPb.SERVER_ERROR]: "server-error",
};

const failurePoliciesPb: Record<FailurePolicy, FailurePolicyPb> = {
  "forward-403": FailurePolicyPb.FORWARD_403,
  "server-error": FailurePolicyPb.SERVER_ERROR,
};

export function fieldsFromCreate(req: CreateZitadelTargetRequest): ZitadelTargetFields {
  return {
    name: req.name,
    payloadType: payloadTypes[req.payloadType],
    orgId: req.orgId,
    issuer: req.issuer,
    failurePolicy: failurePolicies[req.failurePolicy],
  };
}

/** Only the fields the request sets: an update changes those and keeps the rest. */
export function changesFromUpdate(req: UpdateZitadelTargetRequest): Partial<ZitadelTargetFields> {
  const changes: Partial<ZitadelTargetFields> = {};
  if (req.name !== undefined) changes.name = req.name;
  if (req.payloadType !== undefined) changes.payloadType = payloadTypes[req.payloadType];
  if (req.orgId !== undefined) changes.orgId = req.orgId;
  if (req.issuer !== undefined) changes.issuer = req.issuer;
  if (req.failurePolicy !== undefined) changes.failurePolicy = failurePolicies[req.failurePolicy];
  return changes;
}

export function targetToPb(target: ZitadelTarget): ZitadelTargetPb {
  return create(ZitadelTargetSchema, {
    id: target.id,
    name: target.name,
    payloadType: payloadTypesPb[target.payloadType],
    orgId: target.orgId,
    issuer: target.issuer,
    failurePolicy: failurePoliciesPb[target.failurePolicy],
    signingKeys: target.signingKeys.map((k) => create(SigningKeySchema, { id: k.id, creationDate: timestampFromDate(k.createdAt) })),
    publicKeyPem: target.publicKeyPem,
    endpointPath: zitadelTargetEndpointPath(target.id),
    sequence: BigInt(target.sequence),
    creationDate: timestampFromDate(target.creationDate),
    changeDate: timestampFromDate(target.changeDate),
  });
}
