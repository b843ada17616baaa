import type { ServiceImpl } from "@connectrpc/connect";
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { CommandDeps } from "../../command/command-context.js";
import { removeSecret, type SecretDeps, setSecret } from "../../command/secret-commands.js";
import type { SecretInfo } from "../../domain/secret.js";
import type { SecretSealer } from "../../domain/secrets.js";
import { listSecrets } from "../../query/secret-queries.js";
import type { SqlDatabase } from "../../store/sql.js";
import { type Secret, SecretSchema, type SecretService } from "../../../gen/actiond/v1/secret_pb.js";
import { callerOf } from "../caller-key.js";

export interface SecretServiceDeps {
  commands: CommandDeps;
  db: SqlDatabase;
  /** Seals the values a call gives; this service never opens them. */
  secrets: SecretSealer;
}

function secretToPb(secret: SecretInfo): Secret {
  return create(SecretSchema, {
    name: secret.name,
    creationDate: timestampFromDate(secret.creationDate),
    createdBy: secret.createdBy,
    changeDate: timestampFromDate(secret.changeDate),
    changedBy: secret.changedBy,
  });
}

/** actiond.v1.SecretService, on the caller's org: each handler calls a command or query and converts back. */
export function createSecretService({ commands, db, secrets }: SecretServiceDeps): ServiceImpl<typeof SecretService> {
  const deps: SecretDeps = { ...commands, secrets };
  return {
    async setSecret(req, ctx) {
      return { secret: secretToPb(await setSecret(deps, callerOf(ctx), req.name, req.value)) };
    },
    async listSecrets(_req, ctx) {
      return { secrets: (await listSecrets(db, callerOf(ctx).orgId)).map(secretToPb) };
    },
    async deleteSecret(req, ctx) {
      const { deletionDate } = await removeSecret(deps, callerOf(ctx), req.name);
      return { deletionDate: timestampFromDate(deletionDate) };
    },
  };
}
