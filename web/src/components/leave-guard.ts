/**
 * Unsaved changes on the page, asked about before the console navigates away
 * (guarded-link.tsx) and before the tab is closed or reloaded (beforeunload).
 */
let dirty = false;

export function setUnsavedChanges(value: boolean): void {
  dirty = value;
}

/** True when there is nothing to lose, or the user agreed to lose it. */
export function mayLeave(): boolean {
  if (!dirty) return true;
  const leave = window.confirm("You have unsaved changes. Leave this page and lose them?");
  if (leave) dirty = false;
  return leave;
}

addEventListener("beforeunload", (event) => {
  if (dirty) event.preventDefault();
});
