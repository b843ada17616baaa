import { describe, expect, it } from "vitest";
import { action, observeInLoginFlow as observe, run } from "../../test/support/runtime-harness.js";

const authRequest = { id: "ar1" };
const httpRequest = { method: "GET", url: "https://login/x", headers: { "user-agent": ["ua"] } };
const orgMetadata = [{ key: "tier", value: '{"level":2}', sequence: 4, changeDate: "2024-01-02T00:00:00Z" }];

describe("Pre Creation (flows 1 and 3, trigger 2)", () => {
  const user = { username: "new", human: { firstName: "N", email: "" } };

  it.each(["1", "3"])("exposes ctx.v1.user, authRequest, httpRequest and org metadata in flow %s", async (flowType) => {
    const out = await observe("[ctx.v1.user.username, ctx.v1.user.human.firstName, ctx.v1.authRequest.id, ctx.v1.httpRequest.method, ctx.v1.org.getMetadata().count]", flowType, "2", {
      user,
      authRequest,
      httpRequest,
      orgMetadata,
    });
    expect(out).toEqual(["new", "N", "ar1", "GET", 1]);
  });

  it("offers setGender and setUsername but no setPreferredUsername", async () => {
    const result = await run(action('api.setGender(2); api.setUsername("renamed"); if (api.setPreferredUsername) throw new Error("x");'), {
      flowType: "3",
      triggerType: "2",
      context: { user },
    });
    expect(result.mutations.user).toEqual({ gender: 2, username: "renamed" });
  });

  it("rejects a gender outside 0..3", async () => {
    const result = await run(action("api.setGender(7);"), { flowType: "3", triggerType: "2" });
    expect(result.error?.message).toBe("TypeError: gender must be 0 (unspecified), 1 (female), 2 (male) or 3 (diverse)");
  });

  it("ignores a verified flag while the user has no email or phone, as ZITADEL's nil check does", async () => {
    const ignored = await run(action("api.setEmailVerified(true); api.setPhoneVerified(true);"), { flowType: "1", triggerType: "2", context: { user } });
    expect(ignored.mutations.user).toEqual({});
    const applied = await run(action('api.setEmail("a@b"); api.setEmailVerified(true);'), { flowType: "1", triggerType: "2", context: { user } });
    expect(applied.mutations.user).toEqual({ email: "a@b", emailVerified: true });
  });
});

describe("Post Creation (flows 1 and 3, trigger 3)", () => {
  const user = { id: "u1", username: "ada", loginNames: ["ada@org"], human: { firstName: "Ada" } };

  it.each(["1", "3"])("exposes getUser() as a fresh object in flow %s", async (flowType) => {
    const out = await observe("[ctx.v1.getUser().id, ctx.v1.getUser() !== ctx.v1.getUser(), ctx.v1.getUser().human.firstName, ctx.v1.org.getMetadata().count]", flowType, "3", {
      user,
    });
    expect(out).toEqual(["u1", true, "Ada", 0]);
  });

  it("appends user grants through appendUserGrant and api.userGrants", async () => {
    const script = action(`
      api.v1.appendUserGrant({ projectId: "p1", roles: ["admin", 3, "viewer"] });
      api.v1.appendUserGrant({ projectID: "p2", projectGrantID: "g2" });
      api.userGrants.push({ projectID: "p3", projectGrantID: "", roles: ["r"] });
      if (api.userGrants.length !== 3) throw new Error("not shared");`);
    const result = await run(script, { flowType: "1", triggerType: "3", context: { user } });
    expect(result.mutations.userGrants).toEqual([
      { projectId: "p1", projectGrantId: "", roles: ["admin", "viewer"] },
      { projectId: "p2", projectGrantId: "g2", roles: [] },
      { projectId: "p3", projectGrantId: "", roles: ["r"] },
    ]);
  });

  it('throws "projectId not set" for a grant without a project', async () => {
    const result = await run(action('api.v1.appendUserGrant({ roles: ["x"] });'), { flowType: "3", triggerType: "3" });
    expect(result.error?.message).toBe("Error: projectId not set");
    const pushed = await run(action("api.userGrants.push({ roles: [] });"), { flowType: "3", triggerType: "3" });
    expect(pushed.error?.message).toBe("api.userGrants[0]: projectId not set");
  });
});
