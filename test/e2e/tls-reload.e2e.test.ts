import fs from "node:fs";
import http2 from "node:http2";
import path from "node:path";
import tls from "node:tls";
import { describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/run-cli.js";
import { useChildServers } from "../support/child-server.js";
import { envelope } from "../support/raw-grpc.js";
import { createTestCertificate, type TestCertificate } from "../support/test-certificates.js";

// SIGHUP re-reads --tls-cert and --tls-key in a running server: new
// connections get the new certificate, open ones are not dropped, and a pair
// that does not load leaves the previous one serving.

const servers = useChildServers("actiond-tls-reload-");

/** The fingerprint of the certificate a new connection is shown; it must verify against `ca`. */
function servedFingerprint(port: number, ca: Buffer[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: "127.0.0.1", port, ca, ALPNProtocols: ["h2"] }, () => {
      resolve(socket.getPeerCertificate().fingerprint256);
      socket.end();
    });
    socket.on("error", reject);
  });
}

function healthCheck(session: http2.ClientHttp2Session): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const req = session.request({ ":method": "POST", ":path": "/grpc.health.v1.Health/Check", "content-type": "application/grpc", te: "trailers" });
    let status: string | undefined;
    req.on("trailers", (t) => (status = t["grpc-status"] as string | undefined));
    req.on("data", () => {});
    req.on("end", () => resolve(status));
    req.on("error", reject);
    req.end(envelope(new Uint8Array()));
  });
}

function install(from: TestCertificate, certFile: string, keyFile: string): void {
  fs.copyFileSync(from.certFile, certFile);
  fs.copyFileSync(from.keyFile, keyFile);
}

describe("TLS certificate reload", () => {
  it("on SIGHUP, serves the new certificate to new connections, keeps open ones, and keeps it when the next pair is broken", async () => {
    const certDir = servers.tempDir();
    const [first, second] = await Promise.all([createTestCertificate(certDir, "first"), createTestCertificate(certDir, "second")]);
    const certFile = path.join(certDir, "live.crt");
    const keyFile = path.join(certDir, "live.key");
    install(first, certFile, keyFile);
    const server = await servers.start(servers.tempDir(), ["--tls-cert", certFile, "--tls-key", keyFile]);
    expect(server.baseUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const port = Number(new URL(server.baseUrl).port);
    const both = [first.pem, second.pem];
    expect(await servedFingerprint(port, both)).toBe(first.fingerprint256);

    const open = http2.connect(server.baseUrl, { ca: first.pem });
    open.on("error", () => {});
    expect(await healthCheck(open)).toBe("0");

    install(second, certFile, keyFile);
    server.child.kill("SIGHUP");
    await expect.poll(() => server.logs.find((l) => l.msg === "reloaded TLS certificate"), { timeout: 10_000 }).toMatchObject({
      subject: "CN=second",
      fingerprint256: second.fingerprint256,
    });
    expect(await servedFingerprint(port, both)).toBe(second.fingerprint256);
    // The session made before the reload still carries calls, on its own connection.
    expect(await healthCheck(open)).toBe("0");
    expect(open.closed || open.destroyed).toBe(false);

    fs.writeFileSync(keyFile, "not a key\n");
    server.child.kill("SIGHUP");
    await expect.poll(() => server.logs.find((l) => l.level === "error"), { timeout: 10_000 }).toMatchObject({
      msg: "TLS reload failed; still serving the previous certificate",
      reason: `--tls-key ${keyFile}: not a PEM private key`,
    });
    expect(await servedFingerprint(port, both)).toBe(second.fingerprint256);
    expect(await healthCheck(open)).toBe("0");
    open.close();
    expect(server.child.exitCode).toBeNull();
    expect(JSON.stringify(server.logs)).not.toMatch(/PRIVATE KEY/);
  });

  it("reloads only the secrets key file on SIGHUP without TLS", async () => {
    const server = await servers.start(servers.tempDir());
    expect(server.logs.find((l) => l.msg === "actiond listening")).toMatchObject({ tls: false });
    server.child.kill("SIGHUP");
    await expect.poll(() => server.logs.find((l) => l.msg === "secrets key file loaded"), { timeout: 10_000 }).toMatchObject({ keys: [expect.any(String)] });
    expect((await fetch(`${server.baseUrl}/management/v1/nowhere`)).status).toBe(404);
    expect(server.child.exitCode).toBeNull();
  });
});

describe("TLS flags at start", () => {
  async function serve(...args: string[]): Promise<{ code: number; err: string }> {
    let err = "";
    const code = await runCli(["serve", "--data-dir", servers.tempDir(), ...args], { stdout: () => {}, stderr: (t) => (err += t), env: {} });
    return { code, err };
  }

  it("refuses a certificate without its key, and a pair that does not load, on one line", async () => {
    const dir = servers.tempDir();
    const [first, second] = await Promise.all([createTestCertificate(dir, "first"), createTestCertificate(dir, "second")]);
    expect(await serve("--tls-cert", first.certFile)).toEqual({
      code: 2,
      err: `actiond: --tls-cert and --tls-key go together: --tls-key is missing (see "actiond serve --help")\n`,
    });
    const missing = path.join(dir, "missing.crt");
    expect(await serve("--tls-cert", missing, "--tls-key", first.keyFile)).toEqual({
      code: 1,
      err: `actiond serve failed: --tls-cert ${missing}: cannot read it (ENOENT)\n`,
    });
    expect(await serve("--tls-cert", first.certFile, "--tls-key", second.keyFile)).toEqual({
      code: 1,
      err: `actiond serve failed: --tls-key ${second.keyFile}: not the key of the certificate in --tls-cert ${first.certFile}\n`,
    });
  });
});
