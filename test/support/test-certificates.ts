import { execFile } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";

export interface TestCertificate {
  certFile: string;
  keyFile: string;
  /** The certificate's PEM, for a client's `ca`: it is its own issuer. */
  pem: Buffer;
  /** As `getPeerCertificate().fingerprint256` reports it. */
  fingerprint256: string;
  /** Its common name. */
  name: string;
}

/**
 * A self-signed certificate for 127.0.0.1 and localhost (subjectAltName, which
 * clients check), valid for a day, made by the openssl command into
 * `dir/<name>.crt` and `dir/<name>.key`. Each has a random serial and key, so
 * two of them never share a fingerprint. Async: a blocking child would stall
 * a server running in this process.
 */
export async function createTestCertificate(dir: string, name: string): Promise<TestCertificate> {
  const certFile = path.join(dir, `${name}.crt`);
  const keyFile = path.join(dir, `${name}.key`);
  // -newkey and -pkeyopt are the forms OpenSSL 1.1.1 and 3 both take.
  await promisify(execFile)("openssl", [
    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
    "-keyout", keyFile, "-out", certFile, "-days", "1",
    "-subj", `/CN=${name}`,
    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
  ]);
  const pem = fs.readFileSync(certFile);
  return { certFile, keyFile, pem, fingerprint256: new crypto.X509Certificate(pem).fingerprint256, name };
}
