import { describe, expect, it } from "vitest";
import { HeldSecrets } from "../../runtime/held-secrets.js";
import { SecretsSent } from "./secrets-sent.js";

/** The pool's side and a worker's side, as the slot and the worker thread use them. */
function pair(budgetBytes?: number) {
  const sent = new SecretsSent(budgetBytes);
  const worker = new HeldSecrets();
  return {
    sent,
    /** One run of `org` reaches the worker: the delivery, and what the run reads. */
    run(org: string, secrets: Readonly<Record<string, string>> | undefined) {
      const delivery = sent.deliver(org, secrets);
      const cloned = structuredClone(delivery);
      worker.receive(cloned);
      return { delivery, values: worker.valuesFor(cloned) };
    },
    /** A run taken back before the worker claimed it: the worker still takes its delivery in. */
    takenBack(org: string, secrets: Readonly<Record<string, string>>) {
      worker.receive(structuredClone(sent.deliver(org, secrets)));
    },
  };
}

describe("secrets sent to a worker", () => {
  it("sends an org's values once per version, and none for an org without secrets", () => {
    const p = pair();
    const v1 = Object.freeze({ API_KEY: "one" });
    expect(p.run("a", v1)).toEqual({ delivery: { org: "a", version: expect.any(Number), values: v1 }, values: v1 });
    const again = p.run("a", v1);
    expect(again.delivery).not.toHaveProperty("values");
    expect(again.values).toEqual({ API_KEY: "one" });
    const v2 = Object.freeze({ API_KEY: "two" });
    expect(p.run("a", v2).delivery?.values).toBe(v2);
    expect(p.run("a", v2).values).toEqual({ API_KEY: "two" });
    expect(p.run("b", {})).toEqual({ delivery: undefined, values: {} });
    expect(p.run("b", undefined)).toEqual({ delivery: undefined, values: {} });
  });

  it("tells the worker to forget the least recently used orgs past the budget, and sends them again when needed", () => {
    const p = pair(100);
    const [a, b, c] = [{ K: "a".repeat(20) }, { K: "b".repeat(20) }, { K: "c".repeat(20) }].map((s) => Object.freeze(s));
    p.run("a", a);
    p.run("b", b);
    p.run("a", a);
    expect(p.run("c", c).delivery).toMatchObject({ values: c, forget: ["b"] });
    expect(p.run("a", a).delivery).not.toHaveProperty("values");
    expect(p.run("b", b)).toMatchObject({ delivery: { values: b, forget: ["c"] }, values: { K: "b".repeat(20) } });
  });

  it("stays in step when a run is taken back after its delivery was sent", () => {
    const p = pair();
    const v1 = Object.freeze({ K: "one" });
    p.takenBack("a", v1);
    expect(p.run("a", v1)).toMatchObject({ delivery: { org: "a" }, values: { K: "one" } });
    expect(p.run("a", v1).delivery).not.toHaveProperty("values");
  });

  it("refuses to run when the worker does not hold the version it is told to use", () => {
    const worker = new HeldSecrets();
    expect(() => worker.valuesFor({ org: "a", version: 7 })).toThrow(/does not hold version 7/);
  });
});
