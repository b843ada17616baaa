import { javascriptLanguage } from "@codemirror/lang-javascript";
import { Text } from "@codemirror/state";
import type { ScriptProblem } from "./script-problem.js";

/**
 * The first syntax error in a script, found with the editor's own parser
 * (Lezer's JavaScript grammar marks what it cannot parse), so a broken script
 * is caught before it is saved, without eval, which the console's CSP forbids.
 */
export function findSyntaxError(script: string): ScriptProblem | undefined {
  const tree = javascriptLanguage.parser.parse(script);
  let at: number | undefined;
  tree.iterate({
    enter(node) {
      if (at !== undefined) return false;
      if (node.type.isError) at = node.from;
      return undefined;
    },
  });
  if (at === undefined) return undefined;
  const line = Text.of(script.split("\n")).lineAt(at);
  const near = script.slice(at, at + 20).split("\n")[0]!.trim();
  return { message: near ? `SyntaxError: unexpected "${near}"` : "SyntaxError: unexpected end of script", line: line.number, column: at - line.from + 1 };
}
