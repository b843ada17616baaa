import { useMemo } from "react";
import { api } from "../api/clients.js";
import { useLoad } from "../api/use-load.js";
import { ErrorBanner } from "../components/error-banner.js";
import { type DiffLine, diffLines } from "./line-diff.js";

/** The marker before each line, in text so the diff reads without colour; U+2212 is the minus sign. */
const marker: Record<DiffLine["kind"], string> = { same: " ", added: "+", removed: "\u2212" };

/**
 * One version's script (GetActionVersion) against the editor's current draft,
 * so the author sees what going back would change in what is on screen:
 * − lines are only in the version, + lines only in the draft.
 */
export function VersionDiff({ actionId, version, draftScript }: { actionId: string; version: number; draftScript: string }) {
  const loaded = useLoad(() => api.actionVersions.getActionVersion({ actionId, version }), [actionId, version]);
  // While another version loads, the last answer is still there: use it only if it is this version's.
  const answer = loaded.data?.version;
  const script = answer?.version === version ? answer.script : undefined;
  const lines = useMemo(() => (script === undefined ? [] : diffLines(script, draftScript)), [script, draftScript]);
  if (loaded.error) return <ErrorBanner error={loaded.error} />;
  if (script === undefined) return <p role="status">Loading version {version}…</p>;

  const added = lines.filter((l) => l.kind === "added").length;
  const removed = lines.filter((l) => l.kind === "removed").length;
  return (
    <div className="version-diff">
      <h3 id="version-diff-heading">Version {version} against the current draft</h3>
      <p className="help">
        {"\u2212"} a line only in version {version}, + a line only in the draft.{" "}
        {added + removed === 0 ? "The scripts are the same." : `${removed} line${removed === 1 ? "" : "s"} removed, ${added} added since version ${version}.`}
      </p>
      <pre className="diff" tabIndex={0} aria-labelledby="version-diff-heading">
        {lines.map((l, i) => (
          <span key={i} className={`diff-line ${l.kind}`}>
            {marker[l.kind]} {l.text}
          </span>
        ))}
      </pre>
    </div>
  );
}
