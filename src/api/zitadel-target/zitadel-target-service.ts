import type { ServiceImpl } from "@connectrpc/connect";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { generateJweKeyPair } from "../../command/jwe-key-pair.js";
import {
  addZitadelTarget,
  addZitadelTargetKeys,
  changeZitadelTarget,
  removeZitadelTarget,
  removeZitadelTargetKey,
  type ZitadelTargetDeps,
} from "../../command/zitadel-target-commands.js";
import type { CommandDeps } from "../../command/command-context.js";
import type { SecretSealer } from "../../domain/secrets.js";
import { pageOf } from "../../query/page.js";
import { getZitadelTarget, listZitadelTargets } from "../../query/zitadel-target-queries.js";
import type { SqlDatabase } from "../../store/sql.js";
import type { ZitadelTargetService } from "../../../gen/actiond/v1/zitadel_target_pb.js";
import { callerOf } from "../caller-key.js";
import { changesFromUpdate, fieldsFromCreate, targetToPb } from "./zitadel-target-convert.js";

export interface ZitadelTargetServiceDeps {
  commands: CommandDeps;
  db: SqlDatabase;
  /** Seals the keys a call gives; this service never opens them. */
  secrets: SecretSealer;
}

/**
 * actiond.v1.ZitadelTargetService: each handler converts, calls a command or
 * query, converts back. Targets belong to the instance: the caller's org is
 * never read, only who the caller is.
 */
export function createZitadelTargetService({ commands, db, secrets }: ZitadelTargetServiceDeps): ServiceImpl<typeof ZitadelTargetService> {
  const deps: ZitadelTargetDeps = { ...commands, secrets, newKeyPair: generateJweKeyPair };
  return {
    async createZitadelTarget(req, ctx) {
      return { target: targetToPb(await addZitadelTarget(deps, callerOf(ctx).subject, fieldsFromCreate(req), req.signingKeys)) };
    },
    async getZitadelTarget(req) {
      return { target: targetToPb(await getZitadelTarget(db, req.id)) };
    },
    async listZitadelTargets(req) {
      const { total, targets } = await listZitadelTargets(db, pageOf(req.offset, req.limit));
      return { totalResult: BigInt(total), result: targets.map(targetToPb) };
    },
    async updateZitadelTarget(req, ctx) {
      return { target: targetToPb(await changeZitadelTarget(deps, callerOf(ctx).subject, req.id, changesFromUpdate(req))) };
    },
    async deleteZitadelTarget(req, ctx) {
      const { deletionDate } = await removeZitadelTarget(deps, callerOf(ctx).subject, req.id);
      return { deletionDate: timestampFromDate(deletionDate) };
    },
    async addZitadelTargetKey(req, ctx) {
      const { target, keyIds } = await addZitadelTargetKeys(deps, callerOf(ctx).subject, req.id, req.signingKeys);
      return { target: targetToPb(target), keyIds };
    },
    async removeZitadelTargetKey(req, ctx) {
      return { target: targetToPb(await removeZitadelTargetKey(deps, callerOf(ctx).subject, req.id, req.keyId)) };
    },
  };
}
