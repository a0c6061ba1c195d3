// Table cells for the bench's reports: rates, ratios and padded columns.

export function rate(n: number | undefined): string {
  if (n === undefined) return '—'
  if (n >= 1000) return `${(n / 1000).toFixed(1)} k`
  return n >= 10 ? n.toFixed(1) : n.toPrecision(2)
}

export const ratio = (a: number | undefined, b: number | undefined): string =>
  a === undefined || b === undefined ? '—' : `${(a / b).toFixed(2)}×`

/** The first cell left-aligned, the others right-aligned, each to its width. */
export const pad = (cells: readonly string[], widths: readonly number[]): string =>
  cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ')
