import type { ComponentProps } from "react";
import { Link } from "wouter";
import { mayLeave } from "./leave-guard.js";

/** A link that asks before leaving unsaved changes behind. */
export function GuardedLink(props: ComponentProps<typeof Link>) {
  return (
    <Link
      {...props}
      onClick={(event) => {
        if (!mayLeave()) event.preventDefault();
      }}
    />
  );
}
