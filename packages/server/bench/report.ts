/** Plain-text output for the benchmark: aligned tables and the number formats they use. */

export interface Column {
  title: string;
  /** Numbers read best right-aligned. */
  align: 'left' | 'right';
}

/** Columns two spaces apart under a dashed rule, indented by two spaces. */
export function formatTable(
  columns: readonly Column[],
  rows: readonly (readonly string[])[],
): string {
  const widths = columns.map((column, index) =>
    Math.max(column.title.length, ...rows.map((row) => (row[index] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    `  ${columns
      .map((column, index) => {
        const cell = cells[index] ?? '';
        const width = widths[index] ?? 0;
        return column.align === 'right' ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd()}`;
  return [
    line(columns.map((column) => column.title)),
    line(widths.map((width) => '-'.repeat(width))),
    ...rows.map(line),
  ].join('\n');
}

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** 1234567 → "1,234,567". */
export function count(value: number): string {
  return grouped.format(value);
}

export function seconds(value: number): string {
  return value.toFixed(2);
}

/** Items per second, rounded, with thousands separators. */
export function perSecond(items: number, elapsedSeconds: number): string {
  return elapsedSeconds > 0 ? grouped.format(items / elapsedSeconds) : '—';
}

export function ratio(value: number): string {
  return `${value.toFixed(2)}×`;
}

export function percent(value: number): string {
  return `${Math.round(value * 100)}%`;
}

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}
