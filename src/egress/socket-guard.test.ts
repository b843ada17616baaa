/**
 * The guard the egress tests rely on refuses before connecting. Checked with
 * loopback targets other than 127.0.0.1, so even a broken guard could not send
 * anything off the machine.
 */
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { installSocketGuard, type SocketGuard } from "../../test/support/socket-guard.js";

let guard: SocketGuard | undefined;
afterEach(() => guard?.uninstall());

describe("socket guard", () => {
  it("refuses an IP other than 127.0.0.1 synchronously", () => {
    guard = installSocketGuard();
    expect(() => net.connect({ host: "127.0.0.2", port: 9 })).toThrow(/refused connect to 127.0.0.2/);
    expect(guard.violations).toEqual(["127.0.0.2:9"]);
  });

  it("refuses a name without a lookup function (it would use the system resolver)", () => {
    guard = installSocketGuard();
    expect(() => net.connect({ host: "localhost", port: 9 })).toThrow(/system resolver/);
    expect(guard.violations).toEqual(["localhost:9 (system DNS)"]);
  });

  it("refuses a name whose lookup answers with anything but 127.0.0.1", async () => {
    guard = installSocketGuard();
    const socket = net.connect({
      host: "guard.test",
      port: 9,
      autoSelectFamily: false,
      lookup: (_host, _options, callback) => process.nextTick(() => callback(null, "127.0.0.2", 4)),
    });
    const error = await new Promise<Error>((resolve) => socket.once("error", resolve));
    expect(error.message).toMatch(/refused connect to 127.0.0.2/);
    expect(guard.violations).toEqual(["guard.test -> 127.0.0.2"]);
  });

  it("restores the original connect", () => {
    const original = net.Socket.prototype.connect;
    installSocketGuard().uninstall();
    expect(net.Socket.prototype.connect).toBe(original);
    guard = undefined;
  });
});
