import { describe, expect, it } from "vitest";
import { at, given, newId, specNow } from "../../test/support/command-spec.js";
import { orgAdded } from "../../test/support/events.js";
import {
  creator,
  jsonTarget,
  jwtTarget,
  keyAdded,
  keyRemoved,
  sealedPair,
  targetAdded,
  targetChanged,
  targetDeps,
  targetRemoved,
} from "../../test/support/zitadel-target-events.js";
import { zitadelTargetErrors as errors } from "../domain/zitadel-target-errors.js";
import type { NewEvent } from "../event/events.js";
import { getZitadelTarget } from "../query/zitadel-target-queries.js";
import { createEventStore } from "../store/event-store.js";
import { openSqliteDatabase } from "../store/sqlite/sqlite-database.js";
import {
  addZitadelTarget,
  addZitadelTargetKeys,
  changeZitadelTarget,
  removeZitadelTarget,
  removeZitadelTargetKey,
} from "./zitadel-target-commands.js";

const key1 = "Kx7fY2pQ9rT4wZ8mN3vB6cD1";
const key2 = "Lm0nB5vC8xZ2qW4eR7tY1uI9";

/** Histories in which target "t1" does not exist. */
const missing: [string, NewEvent[]][] = [
  ["an unknown id", []],
  ["a removed target", [targetAdded("t1"), keyAdded("t1", "1", key1), targetRemoved("t1")]],
];

describe("addZitadelTarget()", () => {
  it("appends the target and one sealed key per key, numbered from 1, and answers the target without its keys", async () => {
    const target = await given()
      .when((deps) => addZitadelTarget(targetDeps(deps), creator, jsonTarget, [key1, key2]))
      .thenEvents(at(1, targetAdded(newId)), at(2, keyAdded(newId, "1", key1)), at(3, keyAdded(newId, "2", key2)));
    expect(target).toEqual({
      id: newId,
      ...jsonTarget,
      signingKeys: [
        { id: "1", createdAt: specNow },
        { id: "2", createdAt: specNow },
      ],
      publicKeyPem: "",
      sequence: 3,
      creationDate: specNow,
      changeDate: specNow,
    });
    expect(JSON.stringify(target)).not.toContain(key1);
  });

  it("gives a JWE target a key pair: the private key only sealed, the public key shown", async () => {
    const target = await given()
      .when((deps) => addZitadelTarget(targetDeps(deps), creator, { ...jwtTarget, payloadType: "jwe" }, []))
      .thenEvents(at(1, targetAdded(newId, { ...jwtTarget, payloadType: "jwe" })));
    expect(target.publicKeyPem).toBe("PUBLIC PEM");
    expect(JSON.stringify(target)).not.toContain("PRIVATE PEM");
  });

  it("routes to a fixed org that exists", async () => {
    await given(orgAdded())
      .when((deps) => addZitadelTarget(targetDeps(deps), creator, { ...jsonTarget, orgId: "org-1" }, [key1]))
      .thenEvents(at(1, targetAdded(newId, { orgId: "org-1" })), at(2, keyAdded(newId, "1", key1)));
  });

  it("refuses a fixed org that does not exist", async () => {
    await given()
      .when((deps) => addZitadelTarget(targetDeps(deps), creator, { ...jsonTarget, orgId: "org-1" }, [key1]))
      .thenThrows(errors.orgNotFound);
  });

  it("refuses a name the instance already uses, in any case, and accepts a removed target's", async () => {
    await given(targetAdded("t1", { name: "ZITADEL" }))
      .when((deps) => addZitadelTarget(targetDeps(deps), creator, jsonTarget, [key1]))
      .thenThrows(errors.nameTaken);
    await given(targetAdded("t1"), targetRemoved("t1"))
      .when((deps) => addZitadelTarget(targetDeps(deps), creator, jsonTarget, [key1]))
      .thenEvents(at(1, targetAdded(newId)), at(2, keyAdded(newId, "1", key1)));
  });

  const refusals: [string, Parameters<typeof addZitadelTarget>[2], string[], () => unknown][] = [
    ["a blank name", { ...jsonTarget, name: " " }, [key1], errors.nameBlank],
    ["a JSON target without a signing key", jsonTarget, [], errors.signingKeyMissing],
    ["a JSON target with an issuer", { ...jsonTarget, issuer: "https://zitadel.example.com" }, [key1], errors.issuerUnused],
    ["a JWT target without an issuer", { ...jwtTarget, issuer: "" }, [], errors.issuerMissing],
    ["a JWE target with an issuer that is no http(s) URL", { ...jwtTarget, payloadType: "jwe", issuer: "ftp://zitadel" }, [], errors.issuerInvalid],
    ["more than ten keys", jsonTarget, Array.from({ length: 11 }, (_, i) => `${key1}${i}`), errors.tooManyKeys],
    ["a key with whitespace", jsonTarget, [`${key1} `], errors.signingKeyInvalid],
    ["an empty key", jsonTarget, [""], errors.signingKeyInvalid],
  ];
  for (const [what, fields, keys, error] of refusals) {
    it(`refuses ${what}`, async () => {
      await given()
        .when((deps) => addZitadelTarget(targetDeps(deps), creator, fields, keys))
        .thenThrows(error as () => never);
    });
  }
});

describe("changeZitadelTarget()", () => {
  const existing = [targetAdded("t1"), keyAdded("t1", "1", key1)];

  it("appends only the fields that differ and moves the name reservation on a rename", async () => {
    const target = await given(...existing)
      .when((deps) => changeZitadelTarget(targetDeps(deps), creator, "t1", { name: "renamed", failurePolicy: "server-error", orgId: "" }))
      .thenEvents(at(3, targetChanged("t1", { name: "renamed", failurePolicy: "server-error" }, jsonTarget.name)));
    expect(target).toMatchObject({ name: "renamed", failurePolicy: "server-error", sequence: 3, signingKeys: [{ id: "1" }] });
  });

  it("writes nothing for a change that changes nothing, and answers the target", async () => {
    const target = await given(...existing)
      .when((deps) => changeZitadelTarget(targetDeps(deps), creator, "t1", { name: jsonTarget.name }))
      .thenEvents();
    expect(target).toMatchObject({ id: "t1", sequence: 2 });
  });

  it("makes the key pair on the first switch to JWE and keeps it on a later one", async () => {
    const toJwe = { payloadType: "jwe", issuer: jwtTarget.issuer } as const;
    await given(...existing)
      .when((deps) => changeZitadelTarget(targetDeps(deps), creator, "t1", toJwe))
      .thenEvents(at(3, targetChanged("t1", { ...toJwe, keyPair: sealedPair("t1") })));
    const target = await given(...existing, targetChanged("t1", { ...toJwe, keyPair: sealedPair("t1") }), targetChanged("t1", { payloadType: "json", issuer: "" }))
      .when((deps) => changeZitadelTarget(targetDeps(deps), creator, "t1", toJwe))
      .thenEvents(at(5, targetChanged("t1", toJwe)));
    expect(target.publicKeyPem).toBe("PUBLIC PEM");
  });

  it("keeps the rules on the changed target", async () => {
    await given(...existing)
      .when((deps) => changeZitadelTarget(targetDeps(deps), creator, "t1", { payloadType: "jwt" }))
      .thenThrows(errors.issuerMissing);
    await given(targetAdded("t1", jwtTarget))
      .when((deps) => changeZitadelTarget(targetDeps(deps), creator, "t1", { payloadType: "json", issuer: "" }))
      .thenThrows(errors.signingKeyMissing);
    await given(...existing)
      .when((deps) => changeZitadelTarget(targetDeps(deps), creator, "t1", { orgId: "org-1" }))
      .thenThrows(errors.orgNotFound);
    await given(...existing, targetAdded("t2", { name: "other" }))
      .when((deps) => changeZitadelTarget(targetDeps(deps), creator, "t1", { name: "Other" }))
      .thenThrows(errors.nameTaken);
  });

  for (const [what, history] of missing) {
    it(`refuses ${what}`, async () => {
      await given(...history)
        .when((deps) => changeZitadelTarget(targetDeps(deps), creator, "t1", { name: "x" }))
        .thenThrows(errors.notFound);
    });
  }
});

describe("addZitadelTargetKeys()", () => {
  it("numbers new keys on from every key the target ever had, and answers their ids", async () => {
    const result = await given(targetAdded("t1"), keyAdded("t1", "1", key1), keyAdded("t1", "2", key2), keyRemoved("t1", "2"))
      .when((deps) => addZitadelTargetKeys(targetDeps(deps), creator, "t1", ["new-key-a", "new-key-b"]))
      .thenEvents(at(5, keyAdded("t1", "3", "new-key-a")), at(6, keyAdded("t1", "4", "new-key-b")));
    expect(result.keyIds).toEqual(["3", "4"]);
    expect(result.target.signingKeys.map((k) => k.id)).toEqual(["1", "3", "4"]);
  });

  it("refuses more than ten keys on the target", async () => {
    const nine = Array.from({ length: 9 }, (_, i) => keyAdded("t1", String(i + 1), `${key1}${i}`));
    await given(targetAdded("t1"), ...nine)
      .when((deps) => addZitadelTargetKeys(targetDeps(deps), creator, "t1", ["a-tenth-key", "an-eleventh-key"]))
      .thenThrows(errors.tooManyKeys);
  });

  for (const [what, history] of missing) {
    it(`refuses ${what}`, async () => {
      await given(...history)
        .when((deps) => addZitadelTargetKeys(targetDeps(deps), creator, "t1", [key2]))
        .thenThrows(errors.notFound);
    });
  }
});

describe("removeZitadelTargetKey()", () => {
  it("removes a key", async () => {
    const target = await given(targetAdded("t1"), keyAdded("t1", "1", key1), keyAdded("t1", "2", key2))
      .when((deps) => removeZitadelTargetKey(targetDeps(deps), creator, "t1", "1"))
      .thenEvents(at(4, keyRemoved("t1", "1")));
    expect(target.signingKeys.map((k) => k.id)).toEqual(["2"]);
  });

  it("keeps the last key of a JSON target, but not of a JWT one", async () => {
    await given(targetAdded("t1"), keyAdded("t1", "1", key1))
      .when((deps) => removeZitadelTargetKey(targetDeps(deps), creator, "t1", "1"))
      .thenThrows(errors.signingKeyMissing);
    await given(targetAdded("t1", jwtTarget), keyAdded("t1", "1", key1))
      .when((deps) => removeZitadelTargetKey(targetDeps(deps), creator, "t1", "1"))
      .thenEvents(at(3, keyRemoved("t1", "1")));
  });

  it("refuses a key the target does not have", async () => {
    await given(targetAdded("t1"), keyAdded("t1", "1", key1), keyAdded("t1", "2", key2), keyRemoved("t1", "2"))
      .when((deps) => removeZitadelTargetKey(targetDeps(deps), creator, "t1", "2"))
      .thenThrows(errors.keyNotFound);
  });
});

describe("removeZitadelTarget()", () => {
  it("appends zitadel_target.removed, freeing the name, and answers when", async () => {
    const result = await given(targetAdded("t1"), keyAdded("t1", "1", key1))
      .when((deps) => removeZitadelTarget(targetDeps(deps), creator, "t1"))
      .thenEvents(at(3, targetRemoved("t1")));
    expect(result).toEqual({ deletionDate: specNow });
  });

  for (const [what, history] of missing) {
    it(`refuses ${what}`, async () => {
      await given(...history)
        .when((deps) => removeZitadelTarget(targetDeps(deps), creator, "t1"))
        .thenThrows(errors.notFound);
    });
  }
});

describe("the write model", () => {
  it("answers what the read model holds, and keeps counting key ids from its snapshot", async () => {
    const db = openSqliteDatabase(":memory:");
    const deps = targetDeps({ store: createEventStore(db), newId: () => "t1" });
    await addZitadelTarget(deps, creator, jsonTarget, [key1]);
    for (let i = 0; i < 20; i++) {
      const { keyIds } = await addZitadelTargetKeys(deps, creator, "t1", [key2]);
      await removeZitadelTargetKey(deps, creator, "t1", keyIds[0]!);
    }
    const snapshots = await db.all("SELECT aggregate_id FROM snapshots WHERE name = ?", ["zitadel_target.v1"]);
    expect(snapshots).toHaveLength(1);
    const { target, keyIds } = await addZitadelTargetKeys(deps, creator, "t1", [key2]);
    expect(keyIds).toEqual(["22"]);
    expect(target).toEqual(await getZitadelTarget(db, "t1"));
    const changed = await changeZitadelTarget(deps, creator, "t1", { payloadType: "jwe", issuer: "https://z.example" });
    expect(changed).toEqual(await getZitadelTarget(db, "t1"));
    await db.close();
  });
});
