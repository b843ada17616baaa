import { javascript } from "@codemirror/lang-javascript";
import { type Diagnostic, lintGutter, setDiagnostics } from "@codemirror/lint";
import { EditorState } from "@codemirror/state";
import { EditorView } from "@codemirror/view";
import { basicSetup } from "codemirror";
import { useEffect, useRef } from "react";
import type { ScriptProblem } from "./script-problem.js";

interface ScriptEditorProps {
  value: string;
  onChange(value: string): void;
  /** Marked in the text and the gutter: a syntax error or a test run's failure. */
  problems: ScriptProblem[];
  readOnly: boolean;
  /** The editor's accessible name: ID references do not reach into its shadow root. */
  label: string;
}

/** Sizes here, not in styles.css: the page's sheet does not reach into the shadow root. */
const sizing = EditorView.theme({
  "&": { minHeight: "14rem", maxHeight: "60vh", backgroundColor: "#fff" },
  ".cm-scroller": { overflow: "auto" },
});

/**
 * CodeMirror 6 with JavaScript highlighting and line numbers. Tab is left to
 * the page (basicSetup binds no Tab), so keyboard users can move on.
 *
 * It lives in a shadow root: in a document CodeMirror writes its styles into
 * <style> elements, which the console's CSP (style-src 'self') refuses, but
 * in a shadow root it adopts constructed style sheets, which CSP allows.
 */
export function ScriptEditor({ value, onChange, problems, readOnly, label }: ScriptEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView>(undefined);
  const changed = useRef(onChange);
  changed.current = onChange;

  useEffect(() => {
    const shadow = host.current!.shadowRoot ?? host.current!.attachShadow({ mode: "open" });
    const v = new EditorView({
      root: shadow,
      parent: shadow,
      state: EditorState.create({
        doc: value,
        extensions: [
          basicSetup,
          javascript(),
          sizing,
          lintGutter(),
          EditorState.readOnly.of(readOnly),
          EditorView.contentAttributes.of({ "aria-label": label }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) changed.current(u.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = v;
    return () => v.destroy();
    // The editor is made once; later values arrive through the effect below.
  }, [readOnly, label]);

  useEffect(() => {
    const v = view.current!;
    if (v.state.doc.toString() !== value) v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: value } });
  }, [value]);

  useEffect(() => {
    const v = view.current!;
    const { doc } = v.state;
    const diagnostics: Diagnostic[] = problems.map((p) => {
      const line = doc.line(Math.min(Math.max(p.line, 1), doc.lines));
      const from = Math.min(line.from + Math.max(p.column - 1, 0), line.to);
      return { from, to: Math.min(Math.max(from + 1, line.to), doc.length), severity: "error", message: p.message };
    });
    v.dispatch(setDiagnostics(v.state, diagnostics));
  }, [problems]);

  return <div className="script-editor" ref={host} />;
}
