import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestCertificate, type TestCertificate } from "../../test/support/test-certificates.js";
import { openTlsContext, readTlsCredentials } from "./tls-context.js";

let dir: string;
let a: TestCertificate;
let b: TestCertificate;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "actiond-tls-"));
  [a, b] = await Promise.all([createTestCertificate(dir, "first"), createTestCertificate(dir, "second")]);
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function logged() {
  const lines: { level: string; msg: string; fields?: Record<string, unknown> }[] = [];
  const at = (level: string) => (msg: string, fields?: Record<string, unknown>) => void lines.push({ level, msg, fields });
  return { lines, log: { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") } };
}

describe("readTlsCredentials()", () => {
  it("reads a certificate and its key, and tells of the certificate what may be logged", () => {
    const { certificate } = readTlsCredentials({ certFile: a.certFile, keyFile: a.keyFile });
    expect(certificate).toEqual({
      subject: "CN=first",
      subjectAltName: "IP Address:127.0.0.1, DNS:localhost",
      notAfter: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      fingerprint256: a.fingerprint256,
    });
  });

  it("names the flag and the file at fault", () => {
    const missing = path.join(dir, "missing.pem");
    const garbage = path.join(dir, "garbage.pem");
    fs.writeFileSync(garbage, "not pem\n");
    expect(() => readTlsCredentials({ certFile: missing, keyFile: a.keyFile })).toThrow(`--tls-cert ${missing}: cannot read it (ENOENT)`);
    expect(() => readTlsCredentials({ certFile: garbage, keyFile: a.keyFile })).toThrow(`--tls-cert ${garbage}: not a PEM certificate`);
    expect(() => readTlsCredentials({ certFile: a.certFile, keyFile: garbage })).toThrow(`--tls-key ${garbage}: not a PEM private key`);
    const encrypted = path.join(dir, "encrypted.key");
    execFileSync("openssl", ["pkcs8", "-topk8", "-in", a.keyFile, "-out", encrypted, "-v2", "aes-256-cbc", "-passout", "pass:secret"]);
    expect(() => readTlsCredentials({ certFile: a.certFile, keyFile: encrypted })).toThrow(
      `--tls-key ${encrypted}: encrypted with a passphrase; actiond reads unencrypted keys only`,
    );
    // The certificate is no key: a swapped pair is caught too.
    expect(() => readTlsCredentials({ certFile: a.certFile, keyFile: a.certFile })).toThrow(`--tls-key ${a.certFile}: not a PEM private key`);
    expect(() => readTlsCredentials({ certFile: a.certFile, keyFile: b.keyFile })).toThrow(
      `--tls-key ${b.keyFile}: not the key of the certificate in --tls-cert ${a.certFile}`,
    );
  });
});

describe("openTlsContext()", () => {
  it("refuses to start on a pair that does not load", () => {
    expect(() => openTlsContext({ certFile: a.certFile, keyFile: b.keyFile }, logged().log)).toThrow(/not the key of the certificate/);
  });

  it("logs each certificate it loads, keeps the previous one when a reload fails, and never logs key material", () => {
    const certFile = path.join(dir, "live.crt");
    const keyFile = path.join(dir, "live.key");
    fs.copyFileSync(a.certFile, certFile);
    fs.copyFileSync(a.keyFile, keyFile);
    const { lines, log } = logged();
    const context = openTlsContext({ certFile, keyFile }, log);
    fs.copyFileSync(b.certFile, certFile);
    fs.copyFileSync(b.keyFile, keyFile);
    context.reload();
    fs.writeFileSync(keyFile, "broken\n");
    context.reload();
    expect(lines.map((l) => [l.level, l.msg, l.fields?.fingerprint256 ?? l.fields?.reason])).toEqual([
      ["info", "loaded TLS certificate", a.fingerprint256],
      ["info", "reloaded TLS certificate", b.fingerprint256],
      ["error", "TLS reload failed; still serving the previous certificate", `--tls-key ${keyFile}: not a PEM private key`],
    ]);
    expect(JSON.stringify(lines)).not.toMatch(/PRIVATE KEY/);
  });
});
