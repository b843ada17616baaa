import fs from "node:fs";
import type { Logger } from "../logger.js";
import { createSecretBox, type SecretBox, sealedWith } from "./secret-box.js";
import { ensureKeyFile, readKeyFile } from "./secrets-key-file.js";

/** What a server logs when the key file changed under it: the keys it holds now, or why it kept the old ones. */
export type KeyFileReload = { keyIds: readonly string[] } | { error: Error };

/** A secret box that follows its key file, so a rotation needs no restart. */
export interface LiveSecretBox extends SecretBox {
  /** Reads the key file again, now (SIGHUP); a file that does not load leaves the keys as they were. */
  reload(): KeyFileReload;
}

/**
 * The secret box of the key file, created on first use (store/secrets-key-file.ts).
 * The file is read again when it has changed (a stat compares it) before
 * each seal and each look at the keys, so new values are sealed with the key
 * the file names first, and when a value names a key the box does not hold, which another node or the
 * CLI sealed with a key added since. A file that no longer loads keeps the
 * keys held, reported once per change of the file.
 */
export function loadSecretBox(file: string, onReload: (reload: KeyFileReload) => void = () => {}): LiveSecretBox {
  let box = createSecretBox(ensureKeyFile(file));
  let stamp = stampOf(file);

  const reload = (): KeyFileReload => {
    stamp = stampOf(file);
    let result: KeyFileReload;
    try {
      const keys = readKeyFile(file);
      if (!keys) throw new Error(`${file} does not exist`);
      box = createSecretBox(keys);
      result = { keyIds: box.keyIds };
    } catch (err) {
      result = { error: err as Error };
    }
    onReload(result);
    return result;
  };
  const refresh = () => {
    if (stampOf(file) !== stamp) reload();
  };
  const holding = (sealed: string) => {
    if (!box.keyIds.includes(sealedWith(sealed))) refresh();
    return box;
  };

  return {
    get keyId() {
      refresh();
      return box.keyId;
    },
    get keyIds() {
      refresh();
      return box.keyIds;
    },
    seal(plaintext, binding) {
      refresh();
      return box.seal(plaintext, binding);
    },
    open: (sealed, binding) => holding(sealed).open(sealed, binding),
    reseal(sealed, binding) {
      refresh();
      return holding(sealed).reseal(sealed, binding);
    },
    reload,
  };
}

/** A server's log of each reload: a rotation shows in the log on every node, and so does a key file that broke. */
export function logKeyFileReload(log: Logger): (reload: KeyFileReload) => void {
  return (reload) => {
    if ("error" in reload) log.error("the secrets key file did not load; still using the keys held before", { reason: reload.error.message });
    else log.info("secrets key file loaded", { sealingKey: reload.keyIds[0], keys: reload.keyIds });
  };
}

/** Changes whenever the file is replaced or rewritten; "" when it is gone. */
function stampOf(file: string): string {
  try {
    const s = fs.statSync(file, { bigint: true });
    return `${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
  } catch {
    return "";
  }
}
