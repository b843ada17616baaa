/**
 * An org's secrets for the secrets cases of bench/execute.ts, set as an
 * operator would, through SecretService over REST with the admin token
 * (docs/secrets.md). Every run reads all of its org's secrets, so the cases
 * set the most an org may hold: 100 values of 4 KiB.
 */
import crypto from "node:crypto";
import { rest } from "./zitadel-target-setup.js";

export const secretCount = 100;
export const secretBytes = 4096;

const names = Array.from({ length: secretCount }, (_, i) => `BENCH_SECRET_${String(i).padStart(3, "0")}`);

/** Base64 of random bytes: values that share nothing, so the redaction's matcher cannot take shortcuts on common prefixes. */
const newValue = () => crypto.randomBytes((secretBytes / 4) * 3).toString("base64");

async function expect200(answer: Promise<{ status: number; text: string }>, what: string): Promise<void> {
  const a = await answer;
  if (a.status !== 200) throw new Error(`${what}: HTTP ${a.status} ${a.text.slice(0, 300)}`);
}

async function secretNames(baseUrl: string, token: string): Promise<string[]> {
  const r = await rest(baseUrl, token, "GET", "/v1/secrets");
  if (r.status !== 200) throw new Error(`ListSecrets: HTTP ${r.status} ${r.text.slice(0, 300)}`);
  const secrets = ((r.json as Record<string, unknown>)["secrets"] ?? []) as { name: string }[];
  return secrets.map((s) => s.name);
}

/** Sets the token's org's secrets to `secretCount` fresh values, and checks ListSecrets names exactly them. */
export async function fillSecrets(baseUrl: string, token: string): Promise<void> {
  for (const name of names) await expect200(rest(baseUrl, token, "PUT", `/v1/secrets/${name}`, { value: newValue() }), `SetSecret ${name}`);
  const listed = await secretNames(baseUrl, token);
  if (listed.length !== secretCount || !names.every((n) => listed.includes(n))) throw new Error(`after setting ${secretCount} secrets, ListSecrets named ${listed.length}`);
}

/** Deletes every secret of the token's org, so the cases that follow run with none. */
export async function clearSecrets(baseUrl: string, token: string): Promise<void> {
  for (const name of await secretNames(baseUrl, token)) await expect200(rest(baseUrl, token, "DELETE", `/v1/secrets/${name}`), `DeleteSecret ${name}`);
}
