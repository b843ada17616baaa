/**
 * Test support: a guard on `net.Socket.prototype.connect`, through which every
 * TCP and TLS client connection of this process goes (net.connect,
 * http.request, https.request, tls.connect). It records each attempt and
 * refuses, BEFORE any packet is sent, any target that is not 127.0.0.1: an IP
 * host other than 127.0.0.1, a name without a lookup function (it would go to
 * the system resolver), or a name whose lookup answers with anything but
 * 127.0.0.1. So egress tests can never send traffic off loopback, even by a bug.
 */
import net from "node:net";

export interface ConnectAttempt {
  host: string;
  port: unknown;
  /** Addresses the connection's lookup answered with, for a named host. */
  resolved?: string[];
}

export interface SocketGuard {
  readonly attempts: ConnectAttempt[];
  /** Targets that were refused (would have left 127.0.0.1). */
  readonly violations: string[];
  reset(): void;
  uninstall(): void;
}

const PERMITTED = new Set(["127.0.0.1"]);

type Connect = (this: net.Socket, ...args: unknown[]) => net.Socket;
type LookupCallback = (err: Error | null, address?: unknown, family?: number) => void;
type Lookup = (hostname: string, options: unknown, callback: LookupCallback) => void;

function connectOptions(args: unknown[]): Record<string, unknown> | undefined {
  let first = args[0];
  if (Array.isArray(first)) first = first[0];
  if (first !== null && typeof first === "object") return first as Record<string, unknown>;
  if (typeof first === "number" || (typeof first === "string" && /^\d+$/.test(first))) {
    return { port: first, host: typeof args[1] === "string" ? args[1] : undefined };
  }
  if (typeof first === "string") return { path: first };
  return undefined;
}

export function installSocketGuard(): SocketGuard {
  const proto = net.Socket.prototype as unknown as { connect: Connect };
  const original = proto.connect;
  const attempts: ConnectAttempt[] = [];
  const violations: string[] = [];

  proto.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
    const options = connectOptions(args);
    if (!options || (options.path !== undefined && options.path !== null)) {
      violations.push(`unexpected connect arguments`);
      throw new Error("socket guard: only TCP connections to 127.0.0.1 are allowed in egress tests");
    }
    const host = typeof options.host === "string" && options.host !== "" ? options.host : "localhost";
    const attempt: ConnectAttempt = { host, port: options.port };
    attempts.push(attempt);
    if (net.isIP(host)) {
      if (!PERMITTED.has(host)) {
        violations.push(`${host}:${String(options.port)}`);
        throw new Error(`socket guard: refused connect to ${host}`);
      }
    } else {
      const lookup = options.lookup as Lookup | undefined;
      if (typeof lookup !== "function") {
        violations.push(`${host}:${String(options.port)} (system DNS)`);
        throw new Error(`socket guard: refused connect to ${host} through the system resolver`);
      }
      options.lookup = ((hostname, lookupOptions, callback) =>
        lookup(hostname, lookupOptions, (err, address, family) => {
          if (err) return callback(err, address, family);
          const list = Array.isArray(address)
            ? address.map((a: { address: string }) => a.address)
            : [String(address)];
          attempt.resolved = list;
          const bad = list.filter((a) => !PERMITTED.has(a));
          if (bad.length > 0) {
            violations.push(`${host} -> ${bad.join(", ")}`);
            return callback(new Error(`socket guard: refused connect to ${bad.join(", ")}`));
          }
          return callback(null, address, family);
        })) satisfies Lookup;
    }
    return original.apply(this, args);
  };

  return {
    attempts,
    violations,
    reset() {
      attempts.length = 0;
      violations.length = 0;
    },
    uninstall() {
      proto.connect = original;
    },
  };
}
