import crypto from "node:crypto";
import fs from "node:fs";
import type { Logger } from "../logger.js";
import { createTlsHandshake, type TlsHandshake } from "./tls-handshake.js";

/** `--tls-cert` and `--tls-key`, as absolute paths. */
export interface TlsFiles {
  certFile: string;
  keyFile: string;
}

/** A certificate and its key, read and checked; `certificate` is what the logs may tell of it. */
export interface TlsCredentials {
  cert: Buffer;
  key: Buffer;
  certificate: CertificateSummary;
}

/** The leaf certificate as the logs show it: public facts only, never key material. */
export interface CertificateSummary {
  subject: string;
  subjectAltName: string | undefined;
  notAfter: string;
  fingerprint256: string;
}

/** The port's TLS: handshakes with the current certificate, and the SIGHUP reload. */
export interface TlsContext extends TlsHandshake {
  /**
   * Re-reads both files. New connections get the new pair; open ones keep the
   * one they shook hands with. A pair that does not load is logged, naming the
   * file, and the previous one stays in use.
   */
  reload(): void;
}

/** Reads the pair now, so that a bad file stops the start with a message naming it. */
export function openTlsContext(files: TlsFiles, log: Logger): TlsContext {
  const first = readTlsCredentials(files);
  const handshake = createTlsHandshake(first);
  log.info("loaded TLS certificate", { ...first.certificate });
  return {
    accept: handshake.accept,
    reload() {
      try {
        const next = readTlsCredentials(files);
        handshake.setCredentials(next);
        log.info("reloaded TLS certificate", { ...next.certificate });
      } catch (err) {
        log.error("TLS reload failed; still serving the previous certificate", { reason: (err as Error).message });
      }
    },
  };
}

/** Reads and checks a certificate and its key; throws an Error that names the flag and file at fault. */
export function readTlsCredentials({ certFile, keyFile }: TlsFiles): TlsCredentials {
  const cert = readFile("--tls-cert", certFile);
  const key = readFile("--tls-key", keyFile);
  let x509: crypto.X509Certificate;
  try {
    x509 = new crypto.X509Certificate(cert);
  } catch {
    throw new Error(`--tls-cert ${certFile}: not a PEM certificate`);
  }
  let privateKey: crypto.KeyObject;
  try {
    privateKey = crypto.createPrivateKey(key);
  } catch {
    // OpenSSL 3 reports a missing passphrase as "interrupted or cancelled"; the PEM itself says it plainly.
    const encrypted = key.includes("ENCRYPTED");
    throw new Error(`--tls-key ${keyFile}: ${encrypted ? "encrypted with a passphrase; actiond reads unencrypted keys only" : "not a PEM private key"}`);
  }
  if (!x509.checkPrivateKey(privateKey)) throw new Error(`--tls-key ${keyFile}: not the key of the certificate in --tls-cert ${certFile}`);
  return { cert, key, certificate: summarize(x509) };
}

function readFile(flag: string, file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    throw new Error(`${flag} ${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

function summarize(x509: crypto.X509Certificate): CertificateSummary {
  return {
    // Node separates the name's parts with newlines; a log line reads better with commas.
    subject: x509.subject.split("\n").join(", "),
    subjectAltName: x509.subjectAltName,
    notAfter: new Date(x509.validTo).toISOString(),
    fingerprint256: x509.fingerprint256,
  };
}
