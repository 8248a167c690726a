/**
 * Go's text/tabwriter as kubectl's describers use it (`tabwriter.NewWriter(out, 0, 8, 2, ' ', 0)`): cells end at a
 * tab; a column is aligned over a block of consecutive lines that all have a cell in it, to the widest cell plus two
 * spaces; a line's last (unterminated) cell is not aligned. Pure string layout.
 */

const PADDING = 2;

/** Lays out lines whose cells are separated by '\t'. */
export function tabwrite(lines: readonly string[]): string[] {
  const rows = lines.map((l) => l.split('\t'));
  const widths = rows.map((r) => new Array<number>(Math.max(0, r.length - 1)).fill(0));
  align(rows, widths, 0, 0, rows.length);
  return rows.map((r, i) => r.map((c, j) => (j < r.length - 1 ? c.padEnd(widths[i][j]) : c)).join(''));
}

/** Aligns column `col` over each block of consecutive rows in [from, to) that terminate a cell in it, then recurses. */
function align(rows: string[][], widths: number[][], col: number, from: number, to: number): void {
  let i = from;
  while (i < to) {
    if (rows[i].length - 1 <= col) {
      i++;
      continue;
    }
    let j = i;
    let w = 0;
    while (j < to && rows[j].length - 1 > col) {
      w = Math.max(w, rows[j][col].length + PADDING);
      j++;
    }
    for (let k = i; k < j; k++) widths[k][col] = w;
    align(rows, widths, col + 1, i, j);
    i = j;
  }
}
