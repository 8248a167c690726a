/**
 * Table layouts the reader already knows: `aws … --output table` boxes and `kubectl get` columns. Pure string
 * layout; no data selection here.
 */

/** An `aws … --output table` box: title row, header row, data rows. */
export function awsTable(title: string, headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const inner = widths.reduce((a, w) => a + w + 4, 0) + widths.length - 1;
  const width = Math.max(inner, title.length + 4);
  if (width > inner) widths[widths.length - 1] += width - inner;
  const sep = '+' + widths.map((w) => '-'.repeat(w + 4)).join('+') + '+';
  const line = (cells: string[], center = false) =>
    '|' +
    cells
      .map((c, i) => {
        const w = widths[i] + 2;
        if (!center) return `  ${c.padEnd(w)}`;
        const left = Math.floor((w - c.length) / 2) + 2;
        return ' '.repeat(left) + c + ' '.repeat(w + 2 - left - c.length);
      })
      .join('|') +
    '|';
  const titlePad = width - title.length;
  const out = [
    '-'.repeat(width + 2),
    '|' + ' '.repeat(Math.floor(titlePad / 2)) + title + ' '.repeat(Math.ceil(titlePad / 2)) + '|',
    sep,
    line(headers, true),
    sep,
    ...rows.map((r) => line(r)),
    sep,
  ];
  return out.join('\n');
}

/** `kubectl get … -o wide` columns: upper-case headers, three spaces between columns. */
export function kubectlTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('   ').trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

/** Splits a list into chunks of `n` joined by ", " (for long address lists in a table cell). */
export function chunked(items: string[], n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < items.length; i += n) out.push(items.slice(i, i + n).join(', '));
  return out.length === 0 ? [''] : out;
}
