/** What the server tells the console about itself (/console/config.json, from its flags). */
export interface ConsoleConfig {
  /** Set when the console may sign in through an OIDC issuer (--oidc-issuer with --console-client-id). */
  oidc?: { issuer: string; clientId: string };
}

let loaded: Promise<ConsoleConfig> | undefined;

/** Read once per page load: the flags only change with a restart. */
export function consoleConfig(): Promise<ConsoleConfig> {
  loaded ??= fetch("/console/config.json").then((res) => (res.ok ? (res.json() as Promise<ConsoleConfig>) : {}));
  return loaded;
}
