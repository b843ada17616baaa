import fs from "node:fs";
import { parseArgs } from "node:util";
import { generateJweKeyPair } from "../command/jwe-key-pair.js";
import {
  addZitadelTarget,
  addZitadelTargetKeys,
  removeZitadelTarget,
  removeZitadelTargetKey,
  type ZitadelTargetDeps,
} from "../command/zitadel-target-commands.js";
import type { DataDir } from "../data-dir.js";
import { type FailurePolicy, type PayloadType, zitadelTargetEndpointPath } from "../domain/zitadel-target.js";
import { getZitadelTarget, listZitadelTargets } from "../query/zitadel-target-queries.js";
import { openSecretBox } from "../store/sealed-secrets.js";
import { type CliIo, UsageError, formatTable } from "./cli-io.js";
import { dataDirHelp, dataDirOptions, resolveSecretsKeyFile, secretsKeyFileHelp, withDataDir } from "./data-dir-option.js";

export const zitadelTargetHelp = `Usage: actiond zitadel-target <command>

Commands:
  create --name NAME [--signing-key-file PATH...] [--org ID] [--payload-type json|jwt|jwe]
         [--issuer URL] [--failure-policy forward-403|server-error] [--public-key-out PATH]
                        register a target for ZITADEL Actions v2; prints its id alone
                        on stdout. A jwe target's public key (PEM) goes to
                        --public-key-out, or else to stderr, for upload to ZITADEL
  list                  list targets (never their keys)
  public-key ID         print a jwe target's public key (PEM)
  add-key ID --signing-key-file PATH...
                        add signing keys (ZITADEL's new key while it rotates);
                        prints the new key ids, one a line
  remove-key ID KEY_ID  remove a signing key
  delete ID             delete a target

A signing key file holds one key, as ZITADEL's CreateTarget answered it;
whitespace around it is ignored. json targets need one, jwt and jwe targets
need --issuer (ZITADEL's URL). Without --org a call runs the flows of the org
whose id is the payload's org id: see "org create --id".

Options:
${dataDirHelp}
${secretsKeyFileHelp}
  --help
`;

const payloadTypes: readonly PayloadType[] = ["json", "jwt", "jwe"];
const failurePolicies: readonly FailurePolicy[] = ["forward-403", "server-error"];

/** `zitadel-target create|list|public-key|add-key|remove-key|delete`: the same commands the API runs, on the same database. */
export async function runZitadelTargetCommand(args: string[], io: CliIo): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      name: { type: "string" },
      "signing-key-file": { type: "string", multiple: true },
      org: { type: "string" },
      "payload-type": { type: "string" },
      issuer: { type: "string" },
      "failure-policy": { type: "string" },
      "public-key-out": { type: "string" },
      ...dataDirOptions,
      "secrets-key-file": { type: "string" },
      help: { type: "boolean" },
    },
  });
  if (values.help) return io.stdout(zitadelTargetHelp);
  const [sub, ...rest] = positionals;
  const withData = (fn: (dir: DataDir) => Promise<void>) => withDataDir(values, io, fn);
  // Writes seal keys: they open the secret box of the same key file the server uses.
  const withDeps = (fn: (deps: ZitadelTargetDeps, dir: DataDir) => Promise<void>) =>
    withData(async (dir) => {
      const secrets = await openSecretBox(dir.db, resolveSecretsKeyFile(values["secrets-key-file"], values["data-dir"], io.env));
      await fn({ ...dir.commands, secrets, newKeyPair: generateJweKeyPair }, dir);
    });
  const keys = () => (values["signing-key-file"] ?? []).map(readSigningKey);
  const positional = (count: number, what: string) => {
    if (rest.length !== count) throw new UsageError(`zitadel-target ${sub} needs ${what}`);
    return rest;
  };

  switch (sub) {
    case "create": {
      positional(0, "no arguments, only options");
      const name = values.name?.trim();
      if (!name) throw new UsageError("zitadel-target create needs --name NAME");
      const fields = {
        name,
        payloadType: oneOf("--payload-type", values["payload-type"] ?? "json", payloadTypes),
        orgId: values.org ?? "",
        issuer: values.issuer ?? "",
        failurePolicy: oneOf("--failure-policy", values["failure-policy"] ?? "forward-403", failurePolicies),
      };
      const signingKeys = keys();
      return withDeps(async (deps) => {
        const target = await addZitadelTarget(deps, "cli", fields, signingKeys);
        io.stdout(target.id + "\n");
        io.stderr(`endpoint path: ${zitadelTargetEndpointPath(target.id)}\n`);
        if (target.publicKeyPem === "") return;
        const out = values["public-key-out"];
        if (out) fs.writeFileSync(out, target.publicKeyPem);
        else io.stderr(`public key (upload it to ZITADEL for this target):\n${target.publicKeyPem}`);
      });
    }
    case "list":
      positional(0, "no arguments");
      return withData(async (dir) => {
        const { targets } = await listZitadelTargets(dir.db, { offset: 0, limit: Number.MAX_SAFE_INTEGER });
        const rows = targets.map((t) => [
          t.id,
          t.name,
          t.payloadType,
          t.orgId || "(payload's org)",
          t.failurePolicy,
          t.signingKeys.map((k) => k.id).join(",") || "-",
          zitadelTargetEndpointPath(t.id),
        ]);
        io.stdout(formatTable(["ID", "NAME", "PAYLOAD", "ORG", "ON FAILURE", "KEYS", "ENDPOINT PATH"], rows));
      });
    case "public-key": {
      const [id] = positional(1, "exactly one target ID");
      return withData(async (dir) => {
        const target = await getZitadelTarget(dir.db, id!);
        if (target.publicKeyPem === "") throw new UsageError(`target ${id} is not a jwe target: it has no public key`);
        io.stdout(target.publicKeyPem);
      });
    }
    case "add-key": {
      const [id] = positional(1, "exactly one target ID");
      const signingKeys = keys();
      if (signingKeys.length === 0) throw new UsageError("zitadel-target add-key needs --signing-key-file PATH");
      return withDeps(async (deps) => io.stdout((await addZitadelTargetKeys(deps, "cli", id!, signingKeys)).keyIds.join("\n") + "\n"));
    }
    case "remove-key": {
      const [id, keyId] = positional(2, "a target ID and a KEY_ID");
      return withDeps(async (deps) => {
        await removeZitadelTargetKey(deps, "cli", id!, keyId!);
        io.stderr(`key ${keyId} of target ${id} removed\n`);
      });
    }
    case "delete": {
      const [id] = positional(1, "exactly one target ID");
      return withDeps(async (deps) => {
        await removeZitadelTarget(deps, "cli", id!);
        io.stderr(`target ${id} deleted\n`);
      });
    }
    default:
      throw new UsageError(sub ? `unknown zitadel-target command "${sub}"` : "zitadel-target needs a command");
  }
}

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`${flag}: expected ${allowed.join(", ")}, got "${value}"`);
  return value as T;
}

/** The key alone: a file written by `echo` or an editor ends with a newline that is not part of it. */
function readSigningKey(file: string): string {
  return fs.readFileSync(file, "utf8").trim();
}
