/** One line of a diff: in both texts, only in the new one, or only in the old one. */
export interface DiffLine {
  kind: "same" | "added" | "removed";
  text: string;
}

/**
 * The lines that turn `before` into `after`, in order: a longest common
 * subsequence of lines, the rest marked added or removed. The common start
 * and end are taken off first, so an edit in one place of a long script
 * costs a table of only the lines around it.
 */
export function diffLines(before: string, after: string): DiffLine[] {
  const a = splitLines(before);
  const b = splitLines(after);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const same = (text: string): DiffLine => ({ kind: "same", text });
  return [...a.slice(0, start).map(same), ...middle(a.slice(start, endA), b.slice(start, endB)), ...a.slice(endA).map(same)];
}

/** A text's lines; a final newline ends the last line rather than starting an empty one. */
function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === "") lines.pop();
  return lines;
}

/**
 * Past this many cells (16 MB) the table is not built: the middle is shown
 * removed, then added. A saved script has at most 10 000 characters, but a
 * draft of one-character lines against another could ask for 400 MB.
 */
const maxCells = 4_000_000;

/** The LCS table from the ends (`rest[i][j]`: the longest common subsequence of a[i..] and b[j..]), then one walk from the start. */
function middle(a: string[], b: string[]): DiffLine[] {
  if ((a.length + 1) * (b.length + 1) > maxCells) {
    return [...a.map((text): DiffLine => ({ kind: "removed", text })), ...b.map((text): DiffLine => ({ kind: "added", text }))];
  }
  const width = b.length + 1;
  const rest = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      rest[i * width + j] = a[i] === b[j] ? rest[(i + 1) * width + j + 1]! + 1 : Math.max(rest[(i + 1) * width + j]!, rest[i * width + j + 1]!);
    }
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      out.push({ kind: "same", text: a[i++]! });
      j++;
    } else if (rest[(i + 1) * width + j]! >= rest[i * width + j + 1]!) {
      out.push({ kind: "removed", text: a[i++]! });
    } else {
      out.push({ kind: "added", text: b[j++]! });
    }
  }
  while (i < a.length) out.push({ kind: "removed", text: a[i++]! });
  while (j < b.length) out.push({ kind: "added", text: b[j++]! });
  return out;
}
