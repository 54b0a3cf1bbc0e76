/**
 * Rows of text in aligned columns, as a terminal shows them: each cell is padded to its column's
 * display width, so names in CJK scripts (two columns a character) do not push the columns after
 * them out of line; control characters in a cell are shown escaped (\n, \t, \x1b).
 */
export function renderTable(header: string[], rawRows: string[][]): string {
  // A line break or tab inside a value (an audit's modified property, a description) would break the
  // row, and other control characters (ESC) would reach the terminal from tenant data.
  const rows = rawRows.map((r) => r.map(escapeControls));
  const widths = header.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ""))));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c + " ".repeat(widths[i]! - displayWidth(c)))).join("  ").trimEnd();
  return [line(header), ...rows.map(line)].join("\n") + "\n";
}

const CONTROL_ESCAPES: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** C0 controls and DEL written out: \n, \r, \t, or \xNN. */
function escapeControls(cell: string): string {
  // eslint-disable-next-line no-control-regex
  return cell.replace(/[\x00-\x1f\x7f]/g, (c) => CONTROL_ESCAPES[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}

/** Terminal columns `text` takes: East Asian wide and fullwidth characters two, combining marks none, others one. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const character of text) {
    const code = character.codePointAt(0)!;
    if (inRanges(code, COMBINING)) continue;
    width += inRanges(code, WIDE) ? 2 : 1;
  }
  return width;
}

/** Combining marks (they join the character before them). */
const COMBINING: ReadonlyArray<readonly [number, number]> = [
  [0x0300, 0x036f],
  [0x1ab0, 0x1aff],
  [0x1dc0, 0x1dff],
  [0x200b, 0x200f],
  [0x20d0, 0x20ff],
  [0xfe00, 0xfe0f],
  [0xfe20, 0xfe2f],
];

/** East Asian Wide and Fullwidth blocks (Unicode UAX #11), and the emoji blocks terminals draw two columns wide. */
const WIDE: ReadonlyArray<readonly [number, number]> = [
  [0x1100, 0x115f],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe30, 0xfe4f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x1f300, 0x1f64f],
  [0x1f900, 0x1f9ff],
  [0x20000, 0x3fffd],
];

function inRanges(code: number, ranges: ReadonlyArray<readonly [number, number]>): boolean {
  for (const [low, high] of ranges) if (code >= low && code <= high) return true;
  return false;
}
