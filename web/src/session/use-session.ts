import { useSyncExternalStore } from "react";
import { type Session, sessionStore } from "./session-store.js";

export function useSession(): Session | undefined {
  return useSyncExternalStore(sessionStore.subscribe, sessionStore.get);
}
